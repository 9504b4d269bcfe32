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
 * compiled by C2 (the loop's own compilations, not the JDK's elsewhere), C2 inlines every method
 * of ConcurrentHashMap, Hashtable, IdentityHashMap and WeakHashMap with the agent that it inlines
 * without it (hooked methods included), and none becomes "too big".
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
            Map<String, Set<String>> decidedWithout = decisions(without, owner);
            Map<String, Set<String>> decidedWith = decisions(agentRun, owner);
            for (String method : kind.getValue().subList(1, kind.getValue().size())) {
                assertEquals(Set.of("inline (hot)"), decidedWithout.get(method), kind.getKey() + ": C2 did not"
                        + " always inline " + method + " even without the agent: " + decidedWithout);
                assertTrue(decidedWith.containsKey(method), kind.getKey() + ": " + method + " was not compiled into the"
                        + " loop with the agent: " + decidedWith);
            }
            // No refusal that C2 did not also make without the agent: a method inlined without it
            // and "too big" or "already compiled into a big method" with it, anywhere in the loop,
            // is a hook that cost inlining. Decisions, not counts: how often the loop is compiled
            // (and recompiled after a trap) moves with whatever else runs, the agent's thread too.
            for (Map.Entry<String, Set<String>> method : decidedWith.entrySet()) {
                Set<String> refusedWith = refusals(method.getValue());
                assertTrue(refusals(decidedWithout.getOrDefault(method.getKey(), Set.of())).containsAll(refusedWith),
                        kind.getKey() + ": C2's decisions without the agent " + decidedWithout + ", with it " + decidedWith);
            }
        }
    }

    private static ForkedJvm.Result run(Jdk jdk, String kind, boolean agent) throws Exception {
        ForkedJvm jvm = ForkedJvm.on(jdk)
                // -Xbatch: compilations in a fixed order, so that the decisions repeat run after run.
                // Only the loop's compilations: the JDK's own code compiles a map method on its own
                // when its calls (the module system's, the lambda factory's, the agent's start among
                // them) pass a threshold, which says nothing of the hooks and moved with each change
                // of the agent's start.
                .jvmArgs("-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:CompileCommand=quiet",
                        "-XX:CompileCommand=PrintInlining," + HotMapLoop.class.getName() + "::*", "-XX:-TieredCompilation")
                .main(HotMapLoop.class, kind);
        if (agent) {
            jvm.agent("");
        }
        ForkedJvm.Result result = jvm.run();
        assertEquals(0, result.exitCode(), result.describe());
        return result;
    }

    /** The decisions that are not an inlining (nor an intrinsic or accessor, which C2 inlines too). */
    private static Set<String> refusals(Set<String> decisions) {
        Set<String> refused = new TreeSet<>();
        for (String decision : decisions) {
            if (!decision.startsWith("inline") && !decision.equals("accessor") && !decision.contains("intrinsic")) {
                refused.add(decision);
            }
        }
        return refused;
    }

    /**
     * For each method of {@code owner}: what C2 decided at its call sites in the loop ("inline
     * (hot)", "failed to inline: hot method too big", ...), without the profile notes after it.
     */
    private static Map<String, Set<String>> decisions(ForkedJvm.Result result, String owner) {
        Map<String, Set<String>> decisions = new TreeMap<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher m = DECISION.matcher(line.trim());
            if (m.find() && m.group(1).equals(owner)) {
                String decision = m.group(3).split("\\s{2,}|\\s+callee changed")[0].trim();
                decisions.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(decision);
            }
        }
        return decisions;
    }
}
