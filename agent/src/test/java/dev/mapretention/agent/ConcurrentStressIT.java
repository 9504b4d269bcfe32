package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.ConcurrentStress;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stress: {@link ConcurrentStress} runs 16 threads of map churn (their own maps and shared
 * synchronized ones, and ConcurrentHashMaps shared by all of them, cleared while others put) for three seconds while the agent scans every 10 ms and reports are requested
 * through the MXBean in a loop. No operation may go wrong, nothing may deadlock (the scenario's
 * watchdog dumps the threads and exits 3), and the final report must match what the threads left:
 * their drained maps flagged, at the sites that grew them, and nothing of what they dropped.
 */
class ConcurrentStressIT {

    private static final String SCENARIO = ConcurrentStress.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void churnUnderConstantScanningAndReporting(Jdk jdk) throws Exception {
        Path finalReport = dir.resolve("final.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                // reuseRefills=1: a shared map is reused or retained at the end, never still undecided.
                .agent("minCapacity=16,grace=0s,scanInterval=10ms,maxTrackedMaps=1000000,reuseRefills=1,report="
                        + dir.resolve("scans.json"))
                .jvmArgs("-Xmx512m")
                .main(ConcurrentStress.class, finalReport.toString(), "3000", "60000")
                .timeout(Duration.ofMinutes(2))
                .run();
        assertEquals(0, result.exitCode(), "errors, or the watchdog found the work stuck\n" + result.describe());
        assertTrue(result.stdout().contains("STRESS DONE") && result.stdout().contains(" errors=0"),
                result.describe());
        long reports = Long.parseLong(result.stdout().replaceAll("(?s).*reports=(\\d+).*", "$1"));
        assertTrue(reports > 0, "no report was requested during the churn\n" + result.describe());
        assertTrue(result.agentLines().stream().noneMatch(l -> l.contains("fail") || l.contains("could not")
                || l.contains("cannot")), result.describe());

        ParsedReport report = ParsedReport.read(finalReport);
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
        assertFalse(report.agent().get("trackingDisabled").asBoolean(), report.toString());
        assertEquals(0, report.agent().get("refusedMaps").asLong(), report.toString());

        int leftPerKind = ConcurrentStress.THREADS * ConcurrentStress.LEFT_PER_KIND;
        assertLeft(report, "leaveHashMap", "HashMap", leftPerKind);
        assertLeft(report, "leaveLinkedHashMap", "LinkedHashMap", leftPerKind);
        assertLeft(report, "leaveHashSet", "HashSet", leftPerKind);
        assertLeft(report, "leaveLinkedHashSet", "LinkedHashSet", leftPerKind);
        assertRefilledAndLeft(report, "growShared", "HashMap", ConcurrentStress.SHARED);
        assertLeft(report, "leaveConcurrentHashMap", "ConcurrentHashMap", leftPerKind);
        assertRefilledAndLeft(report, "growSharedConcurrent", "ConcurrentHashMap", ConcurrentStress.SHARED);
        assertRefilledAndLeft(report, "growClearedConcurrent", "ConcurrentHashMap", 1);
        // Kept full: tracked, never oversized. Churned and dropped: collected, so gone from the report.
        assertEquals(List.of(), findingsThrough(report, "keepFull"), report.toString());
        assertEquals(List.of(), findingsThrough(report, "work"), report.toString());
    }

    private static void assertLeft(ParsedReport report, String method, String container, int expected) {
        List<JsonNode> findings = findingsThrough(report, method);
        assertEquals(1, findings.size(), method + "\n" + report);
        assertEquals(container, findings.get(0).get("container").asText(), method + "\n" + report);
        assertEquals(expected, findings.get(0).get("oversizedMaps").asLong(), method + "\n" + report);
    }

    /**
     * The shared maps were refilled and drained all through the churn: at its end each is reused
     * (its refills stopped less than a few of its cycles ago) or already retained, so the site has
     * one finding of each pattern at most, and counts all of them.
     */
    private static void assertRefilledAndLeft(ParsedReport report, String method, String container, int expected) {
        List<JsonNode> findings = findingsThrough(report, method);
        assertTrue(!findings.isEmpty() && findings.size() <= 2, method + "\n" + report);
        long maps = 0;
        for (JsonNode finding : findings) {
            assertEquals(container, finding.get("container").asText(), method + "\n" + report);
            String pattern = finding.get("pattern").asText();
            assertTrue(pattern.equals("reused") || pattern.equals("retained"), method + "\n" + report);
            maps += finding.get("oversizedMaps").asLong() + finding.get("reusedMaps").asLong();
        }
        assertEquals(expected, maps, method + "\n" + report);
    }

    /** The findings with a frame of {@code ConcurrentStress.method} anywhere in their site. */
    private static List<JsonNode> findingsThrough(ParsedReport report, String method) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode finding : report.findings()) {
            for (JsonNode frame : finding.get("site")) {
                if (frame.asText().startsWith(SCENARIO + "." + method + "(")) {
                    found.add(finding);
                    break;
                }
            }
        }
        return found;
    }
}
