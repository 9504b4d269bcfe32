package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.util.concurrent.internal.InternalFutureFailureAccess;
import dev.mapretention.scenarios.CollectionConformance;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.hamcrest.Matcher;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance: Guava's collection test suites for HashMap, LinkedHashMap, HashSet, LinkedHashSet,
 * ConcurrentHashMap, Hashtable, WeakHashMap and ConcurrentHashMap.newKeySet()
 * ({@link CollectionConformance}) give exactly the same results with the agent as without it, on
 * Java 17 and Java 25: the same tests run, the same pass, and any that fail without the agent (a
 * Guava tester that disagrees with this JDK) fail the same way with it. With {@code minCapacity=16,grace=0s,scanInterval=10ms} every map the suites fill is
 * tracked, and the scanner re-reads and flags maps every 10 ms while the suites run; the agent's
 * own count of suppressed failures must stay zero.
 */
class CollectionConformanceIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void guavaSuitesPassTheSameWithTheAgent(Jdk jdk) throws Exception {
        ForkedJvm.Result baseline = suites(jdk).run();

        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result withAgent = suites(jdk)
                .agent("minCapacity=16,grace=0s,scanInterval=10ms,report=" + reportFile)
                .run();
        assertEquals(baseline.exitCode(), withAgent.exitCode(), withAgent.describe());

        List<String> expected = suiteLines(baseline);
        assertEquals(9, expected.stream().filter(l -> !l.startsWith("FAILED ")).count(), baseline.describe());
        assertTrue(runCount(baseline) > 1_000, "the suites ran hardly any test\n" + baseline.describe());
        assertEquals(expected, suiteLines(withAgent), "the same tests, all passing\n" + withAgent.describe());

        ParsedReport report = ParsedReport.read(reportFile);
        JsonNode agent = report.agent();
        assertEquals(0, agent.get("trackerFailures").asLong(), report.toString());
        assertFalse(agent.get("trackingDisabled").asBoolean(), report.toString());
        assertEquals(0, agent.get("refusedMaps").asLong(), report.toString());
        // Every map a suite put an entry into was tracked: thousands of them.
        assertTrue(agent.get("trackedTotal").asLong() > runCount(withAgent),
                "maps were not tracked while the suites ran\n" + report);
        // The scanner flagged maps while the suites ran, and nothing went wrong in it.
        assertTrue(withAgent.agentLines().stream().anyMatch(l -> l.contains("oversized:")), withAgent.describe());
        assertTrue(withAgent.agentLines().stream().noneMatch(l -> l.contains("fail") || l.contains("could not")
                || l.contains("cannot")), withAgent.describe());
    }

    private static ForkedJvm suites(Jdk jdk) throws URISyntaxException {
        ForkedJvm jvm = ForkedJvm.on(jdk).jvmArgs("-Xmx512m").timeout(Duration.ofMinutes(3))
                .main(CollectionConformance.class);
        // guava-testlib and what it needs at run time: Guava, JUnit 4 (with Hamcrest), and the
        // annotations it reads reflectively while building the suites.
        for (Class<?> fromJar : new Class<?>[] {MapTestSuiteBuilder.class, ImmutableList.class,
                InternalFutureFailureAccess.class, junit.framework.Test.class, Matcher.class, NullMarked.class}) {
            jvm.classPath(Path.of(fromJar.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return jvm;
    }

    private static List<String> suiteLines(ForkedJvm.Result result) {
        return result.stdout().lines()
                .filter(l -> l.startsWith("SUITE ") || l.startsWith("TOTAL ") || l.startsWith("FAILED "))
                .collect(Collectors.toList());
    }

    private static long runCount(ForkedJvm.Result result) {
        String total = result.stdout().lines().filter(l -> l.startsWith("TOTAL ")).findFirst().orElseThrow();
        return Long.parseLong(total.replaceAll(".*run=(\\d+).*", "$1"));
    }
}
