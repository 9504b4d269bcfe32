package dev.mapretention.scenarios;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Maps and sets whose keys, values and elements all carry {@link #MARKER}, including a user
 * subclass of each and a key type whose {@code toString} is the marker: grown, then drained to a
 * few entries (still holding the marker), so that the agent flags every one of them. The test then
 * searches every output of the agent for the marker.
 *
 * <p>Arguments: the agent's report file (to wait for the scanner to flag the maps; by then it has
 * logged them and committed their JFR events) and a file to write everything the MXBean says: every
 * attribute, {@code reportJson()} and {@code reportText()}.
 *
 * <p>Prints {@code SECRETS DONE} and nothing of the contents.
 */
public final class SecretContents {

    /**
     * In every key, value and element; in no class, method, file or argument name. Built at run
     * time from two halves, so that not even the constant pool of this class holds it whole.
     */
    public static final String MARKER = new StringBuilder("Zq7-CONFIDENTIAL").append("-4711-xyzzy").toString();

    /** The methods that grow the flagged maps: the sites the test expects in every channel. */
    public static final List<String> SITES = List.of("fillHashMap", "fillLinkedHashMap", "fillHashSet",
            "fillLinkedHashSet", "fillVault", "fillSecretSet");

    static final int ENTRIES = 5_000;
    public static final int LEFT = 3;

    /** Keeps the maps alive until the JVM exits. */
    static final List<Object> LIVE = new ArrayList<>();

    /** A key whose every rendering is the marker. */
    static final class Secret {
        private final int id;

        Secret(int id) {
            this.id = id;
        }

        @Override
        public int hashCode() {
            return id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Secret && ((Secret) o).id == id;
        }

        @Override
        public String toString() {
            return MARKER + "#" + id;
        }
    }

    /** A user's map subclass that renders its contents in toString. */
    static final class Vault extends HashMap<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return MARKER + super.toString();
        }
    }

    /** A user's set subclass. */
    static final class SecretSet extends HashSet<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return MARKER + super.toString();
        }
    }

    private SecretContents() {
    }

    public static void main(String[] args) throws Exception {
        Path reportFile = Path.of(args[0]);
        Path jmxDump = Path.of(args[1]);

        drain(fillHashMap().keySet());
        drain(fillLinkedHashMap().keySet());
        drain(fillHashSet());
        drain(fillLinkedHashSet());
        drain(fillVault().keySet());
        drain(fillSecretSet());

        awaitFlagged(reportFile);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        // The agent registers its MXBean within a second of the platform MBeanServer's start.
        ObjectName bean = AgentBean.awaitRegistered();
        StringBuilder dump = new StringBuilder();
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(bean).getAttributes()) {
            Object value = server.getAttribute(bean, attribute.getName());
            dump.append(attribute.getName()).append(" = ")
                    .append(value instanceof Object[] ? Arrays.deepToString((Object[]) value) : String.valueOf(value))
                    .append('\n');
        }
        dump.append("reportJson() = ").append(server.invoke(bean, "reportJson", null, null)).append('\n');
        dump.append("reportText() = ").append(server.invoke(bean, "reportText", null, null)).append('\n');
        Files.writeString(jmxDump, dump, StandardCharsets.UTF_8);
        System.out.println("SECRETS DONE");
    }

    /** Removes all but {@link #LEFT} elements: sparse, and still holding the marker. */
    private static void drain(Set<?> keys) {
        int left = keys.size();
        for (Iterator<?> it = keys.iterator(); it.hasNext() && left > LEFT; left--) {
            it.next();
            it.remove();
        }
    }

    static Map<String, String> fillHashMap() {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(MARKER + "-key-" + i, MARKER + "-value-" + i);
        }
        LIVE.add(map);
        return map;
    }

    static Map<Secret, Secret> fillLinkedHashMap() {
        Map<Secret, Secret> map = new LinkedHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(new Secret(i), new Secret(-i));
        }
        LIVE.add(map);
        return map;
    }

    static Set<String> fillHashSet() {
        Set<String> set = new HashSet<>();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(MARKER + "-element-" + i);
        }
        LIVE.add(set);
        return set;
    }

    static Set<Secret> fillLinkedHashSet() {
        Set<Secret> set = new LinkedHashSet<>();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(new Secret(i));
        }
        LIVE.add(set);
        return set;
    }

    static Map<String, String> fillVault() {
        Map<String, String> map = new Vault();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(MARKER + "-key-" + i, MARKER + "-value-" + i);
        }
        LIVE.add(map);
        return map;
    }

    static Set<String> fillSecretSet() {
        Set<String> set = new SecretSet();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(MARKER + "-element-" + i);
        }
        LIVE.add(set);
        return set;
    }

    /** Waits until the report file lists a finding at every site. */
    private static void awaitFlagged(Path reportFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String json = Files.isRegularFile(reportFile) ? Files.readString(reportFile) : "";
            boolean all = true;
            for (String site : SITES) {
                all &= json.contains(SecretContents.class.getName() + "." + site + "(");
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not flag every map within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
