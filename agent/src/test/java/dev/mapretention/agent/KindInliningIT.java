package dev.mapretention.agent;

import dev.mapretention.scenarios.HotMapLoop;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import org.junit.jupiter.params.ParameterizedTest;
import dev.mapretention.testing.JdkSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hooks stay neutral to the JIT: in a hot loop of put, get and remove ({@link HotMapLoop}),
 * C2 inlines every method of ConcurrentHashMap, Hashtable, IdentityHashMap and WeakHashMap with
 * the agent that it inlines without it (hooked methods included), and none becomes "too big".
 * Where a hook at a method's returns made it lose its inlining (IdentityHashMap.remove, whose
 * compiled code then passed InlineSmallCode), the hook moved to a colder method (closeDeletion):
 * this test is what showed it. Java 17 and Java 25.
 */
class KindInliningIT {

    /**
     * For each kind: its class as PrintInlining writes it, then methods that C2 inlines into the
     * loop without the agent on both JDKs (remove is hooked in Hashtable, IdentityHashMap and
     * WeakHashMap), so that the comparison below is never vacuous.
     */
    private static final Map<String, List<String>> FAST_PATHS = Map.of(
            "ConcurrentHashMap", List.of("java.util.concurrent.ConcurrentHashMap", "put", "get", "remove"),
            "Hashtable", List.of("java.util.Hashtable", "get"),
            "IdentityHashMap", List.of("java.util.IdentityHashMap", "get", "remove"),
            "WeakHashMap", List.of("java.util.WeakHashMap", "get", "remove"));

    private static final Pattern DECISION = Pattern.compile("(\\S+)::(\\S+) \\(\\d+ bytes\\)\\s+(.*)$");

    @ParameterizedTest
    @JdkSource
    void theMapsCompileAsTheyDoWithoutTheAgent(Jdk jdk) throws Exception {
        for (Map.Entry<String, List<String>> kind : FAST_PATHS.entrySet()) {
            String owner = kind.getValue().get(0);
            ForkedJvm.Result without = run(jdk, kind.getKey(), false);
            ForkedJvm.Result agentRun = run(jdk, kind.getKey(), true);
            Map<String, Long> inlinedWithout = inlineCounts(without, owner);
            Map<String, Long> with = inlineCounts(agentRun, owner);
            for (String method : kind.getValue().subList(1, kind.getValue().size())) {
                assertTrue(inlinedWithout.containsKey(method), kind.getKey() + ": C2 did not inline " + method
                        + " even without the agent: " + inlinedWithout);
            }
            // As often: a method inlined at fewer call sites is one that some caller now calls.
            for (Map.Entry<String, Long> method : inlinedWithout.entrySet()) {
                assertTrue(with.getOrDefault(method.getKey(), 0L) >= method.getValue(), kind.getKey()
                        + ": inlined (times) without the agent " + inlinedWithout + ", with it " + with);
            }
            assertTrue(decided(without, owner, "hot method too big").containsAll(decided(agentRun, owner, "hot method too big")),
                    kind.getKey() + ": hot method too big with the agent " + decided(agentRun, owner, "hot method too big")
                            + ", without it " + decided(without, owner, "hot method too big"));
        }
    }

    private static ForkedJvm.Result run(Jdk jdk, String kind, boolean agent) throws Exception {
        ForkedJvm jvm = ForkedJvm.on(jdk)
                // -Xbatch: compilations in a fixed order, so that the decisions repeat run after run.
                .jvmArgs("-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining", "-XX:-TieredCompilation")
                .main(HotMapLoop.class, kind);
        if (agent) {
            jvm.agent("");
        }
        ForkedJvm.Result result = jvm.run();
        assertEquals(0, result.exitCode(), result.describe());
        return result;
    }

    /** For each method of {@code owner}: how many call sites C2 inlined it at. */
    private static Map<String, Long> inlineCounts(ForkedJvm.Result result, String owner) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher m = DECISION.matcher(line.trim());
            if (m.find() && m.group(1).equals(owner) && m.group(3).startsWith("inline")) {
                counts.merge(m.group(2), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The methods of {@code owner} whose inlining decision contains {@code decision} somewhere. */
    private static Set<String> decided(ForkedJvm.Result result, String owner, String decision) {
        Set<String> methods = new TreeSet<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher m = DECISION.matcher(line.trim());
            if (m.find() && m.group(1).equals(owner) && m.group(3).contains(decision)) {
                methods.add(m.group(2));
            }
        }
        return methods;
    }
}
