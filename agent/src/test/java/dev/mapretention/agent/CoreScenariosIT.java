package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.CoreScenarios;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core behaviour, end to end: {@link CoreScenarios} runs under {@code -javaagent:} on the built
 * jar, on Java 17 and Java 25, and its JSON report must flag exactly the maps that stayed
 * oversized, each with the right container and the growing method as its site.
 */
class CoreScenariosIT {

    private static final String SCENARIOS = CoreScenarios.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void flagsExactlyTheMapsThatStayOversized(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=300ms,scanInterval=100ms,report=" + reportFile)
                .main(CoreScenarios.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("dropped map collected: true"),
                "the agent kept a dropped map alive\n" + result.describe());
        ParsedReport report = ParsedReport.read(reportFile);

        assertFlagged(report, "growForRemove", "HashMap");
        assertFlagged(report, "growForClear", "HashMap");
        assertFlagged(report, "growForIteratorRemove", "HashMap");
        assertFlagged(report, "growForKeySetRemoveIf", "HashMap");
        assertFlagged(report, "growForEntrySetRemoveIf", "HashMap");
        assertFlagged(report, "growForComputeNull", "HashMap");
        assertFlagged(report, "growLinkedHashMap", "LinkedHashMap");
        assertFlagged(report, "growHashSet", "HashSet");
        assertFlagged(report, "growLinkedHashSet", "LinkedHashSet");
        assertFlagged(report, "growUserSubclass", "SessionCache");
        // A set subclass's own add is the application's code, so it tops the site.
        JsonNode userSet = report.findingAt(SCENARIOS + "$TagSet.add");
        assertEquals("TagSet", userSet.get("container").asText(), report.toString());
        assertTrue(userSet.get("site").toString().contains(SCENARIOS + ".growUserSetSubclass("), report.toString());
        JsonNode presized = assertFlagged(report, "presizedNeverFilled", "HashMap");
        assertEquals(1 << 20, presized.get("maps").get(0).get("capacity").asInt(), report.toString());
        assertEquals(3, presized.get("maps").get(0).get("size").asInt(), report.toString());

        for (String notFlagged : new String[] {"growKeptFull", "growSmallDrained", "growDrainedRefilled",
                "growDroppedMap"}) {
            assertTrue(report.findingsAt(SCENARIOS + "." + notFlagged).isEmpty(),
                    notFlagged + " must not be flagged\n" + report);
        }
        assertEquals(12, report.findings().size(), report.toString());
        assertEquals(12, report.summary().get("oversizedMaps").asLong(), report.toString());
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
        // Tracked now: the 12 oversized, the full and the refilled map (the dropped one is gone).
        assertEquals(14, report.summary().get("trackedMaps").asLong(), report.toString());

        // Each newly flagged map is logged once, on standard error, with its site.
        long logged = result.agentLines().stream().filter(l -> l.contains("oversized:")).count();
        assertEquals(12, logged, result.describe());
    }

    private static JsonNode assertFlagged(ParsedReport report, String method, String container) {
        JsonNode finding = report.findingAt(SCENARIOS + "." + method);
        assertEquals(container, finding.get("container").asText(), method + "\n" + report);
        assertEquals("growth", finding.get("siteKind").asText(), method + "\n" + report);
        assertEquals(1, finding.get("oversizedMaps").asLong(), method + "\n" + report);
        JsonNode map = finding.get("maps").get(0);
        assertTrue(map.get("wastedBytes").asLong() > 0, method + "\n" + report);
        assertEquals(finding.get("wastedBytes").asLong(), map.get("wastedBytes").asLong(), method + "\n" + report);
        assertTrue(map.get("sparseForMillis").asLong() >= 300, method + "\n" + report);
        // The next frame is main: the site is the application's stack, not java.util's.
        assertTrue(finding.get("site").get(1).asText().startsWith(SCENARIOS + ".main(CoreScenarios.java:"),
                method + "\n" + report);
        assertTrue(!finding.get("advice").asText().isBlank(), method + "\n" + report);
        return finding;
    }
}
