package dev.mapretention.scenarios;

import net.bytebuddy.agent.ByteBuddyAgent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Another agent, as an APM or profiling agent may, retransforms every map class the agent
 * instruments while the agent runs (through an Instrumentation of this program's own, with a
 * transformer that changes nothing). The JVM starts each class again from its original bytes, so
 * the hooks are out until the agent puts them back.
 *
 * <p>Then, until the agent's report (argument 0) shows a drained map of every kind, or for at most
 * a minute: grows and clears one map of each kind at a time, each in a method of its own. Prints
 * {@code HOOKS BACK} when the report showed all five, else {@code HOOKS NOT BACK}.
 */
public final class ForeignRetransform {

    /** The keys, held here so that the WeakHashMap's entries stay until it is cleared. */
    private static final Integer[] KEYS = new Integer[20_000];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i;
        }
    }

    private static final String[] GROWN_IN = {
        "growHashMap", "growConcurrentHashMap", "growHashtable", "growIdentityHashMap", "growWeakHashMap",
    };

    /** The maps of the latest round, alive until the next. */
    static final List<Map<Object, Object>> LIVE = new ArrayList<>();

    private ForeignRetransform() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Class<?>[] mapClasses = {
            HashMap.class, ConcurrentHashMap.class, Hashtable.class, IdentityHashMap.class, WeakHashMap.class,
        };
        System.out.println("retransformed " + retransform(mapClasses) + " of " + mapClasses.length);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            LIVE.clear();
            LIVE.add(drained(growHashMap()));
            LIVE.add(drained(growConcurrentHashMap()));
            LIVE.add(drained(growHashtable()));
            LIVE.add(drained(growIdentityHashMap()));
            LIVE.add(drained(growWeakHashMap()));
            Thread.sleep(50);
            if (showsAll(report)) {
                System.out.println("HOOKS BACK");
                return;
            }
        }
        System.out.println("HOOKS NOT BACK");
    }

    /**
     * Retransforms the classes through an Instrumentation of this program's own (as another agent
     * would), with a transformer that changes nothing; how many of them it was shown.
     */
    static int retransform(Class<?>... classes) throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        int[] seen = new int[1];
        ClassFileTransformer other = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                    ProtectionDomain domain, byte[] classFile) {
                if (redefined != null) {
                    seen[0]++;
                }
                return null;
            }
        };
        instrumentation.addTransformer(other, true);
        try {
            instrumentation.retransformClasses(classes);
        } finally {
            instrumentation.removeTransformer(other);
        }
        return seen[0];
    }

    private static boolean showsAll(Path report) throws Exception {
        if (!Files.exists(report)) {
            return false;
        }
        String json = Files.readString(report);
        for (String method : GROWN_IN) {
            if (!json.contains(ForeignRetransform.class.getName() + "." + method)) {
                return false;
            }
        }
        return true;
    }

    private static Map<Object, Object> drained(Map<Object, Object> map) {
        map.clear();
        return map;
    }

    // Each kind grows in a method of its own, the site its finding is reported at.

    static Map<Object, Object> growHashMap() {
        Map<Object, Object> map = new HashMap<>();
        for (Integer key : KEYS) {
            map.put(key, "v");
        }
        return map;
    }

    static Map<Object, Object> growConcurrentHashMap() {
        Map<Object, Object> map = new ConcurrentHashMap<>();
        for (Integer key : KEYS) {
            map.put(key, "v");
        }
        return map;
    }

    static Map<Object, Object> growHashtable() {
        Map<Object, Object> map = new Hashtable<>();
        for (Integer key : KEYS) {
            map.put(key, "v");
        }
        return map;
    }

    static Map<Object, Object> growIdentityHashMap() {
        Map<Object, Object> map = new IdentityHashMap<>();
        for (Integer key : KEYS) {
            map.put(key, "v");
        }
        return map;
    }

    static Map<Object, Object> growWeakHashMap() {
        Map<Object, Object> map = new WeakHashMap<>();
        for (Integer key : KEYS) {
            map.put(key, "v");
        }
        return map;
    }
}
