package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.ReuseScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reused tables told from retained ones, end to end on Java 17 and Java 25 ({@link ReuseScenario}):
 * a map filled to 100,000 entries and emptied six times a second apart is reused, apart from the
 * oversized maps, logged at most once and given no JFR event after its first cycle, advised to be
 * kept; once its refills stop it is retained. A map drained once is retained (replace it), a
 * pre-sized one never-filled ("sized at"), one left at 5% of its peak keeps its copy advice, and
 * two sites that share their innermost frame are told apart in the log. The same holds when each
 * fill and drain falls between two scans, where only the hooks see the refills.
 */
class VerdictsIT {

    private static final String SCENARIO = ReuseScenario.class.getName();
    private static final String EVENT = "dev.mapretention.OversizedMap";

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void aMapEmptiedEachCycleIsReusedUntilItsRefillsStop(Jdk jdk) throws Exception {
        Path recording = dir.resolve("reuse.jfr");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=300ms,scanInterval=100ms")
                .jvmArgs("-XX:StartFlightRecording:filename=" + recording)
                .main(ReuseScenario.class, "held")
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport reused = printed(result, "REUSED ");
        ParsedReport stopped = printed(result, "STOPPED ");
        List<RecordedEvent> events = events(recording);
        String context = result.describe() + "\n" + reused + "\n" + events;

        // While the refills go on: reused, apart from the five oversized maps.
        assertEquals(5, reused.summary().get("oversizedMaps").asLong(), context);
        assertEquals(2, reused.summary().get("reusedMaps").asLong(), context);
        long oversizedWaste = 0;
        for (JsonNode f : reused.findings()) {
            oversizedWaste += f.get("wastedBytes").asLong();
        }
        assertEquals(oversizedWaste, reused.summary().get("wastedBytes").asLong(), context);
        for (String cycling : new String[] {"cycleHashMap", "cycleConcurrentHashMap"}) {
            JsonNode finding = assertReused(reused, cycling, context);
            assertTrue(finding.get("advice").asText().contains("keep it"), cycling + ": " + finding.get("advice"));
            // Logged at most once (its first cycle, when it was drained once), and no event after it.
            long lines = result.agentLines().stream().filter(l -> l.contains(SCENARIO + "." + cycling + "(")).count();
            assertTrue(lines <= 1, cycling + " logged " + lines + " times\n" + context);
            List<RecordedEvent> atSite = eventsAt(events, SCENARIO + "." + cycling + "(");
            for (RecordedEvent event : atSite) {
                int refills = event.getInt("refills");
                assertTrue(refills == 0 || refills == ReuseScenario.CYCLES - 1,
                        cycling + ": an event during its cycles, after " + refills + " refills\n" + context);
            }
            // Its refills stopped: retained, one event for that episode, and advice for both cases.
            JsonNode retained = stopped.findingAt(SCENARIO + "." + cycling);
            assertEquals("retained", retained.get("pattern").asText(), stopped.toString());
            assertEquals(1, retained.get("oversizedMaps").asLong(), stopped.toString());
            assertEquals(ReuseScenario.CYCLES - 1, retained.get("maps").get(0).get("refills").asInt(), stopped.toString());
            assertTrue(retained.get("advice").asText().contains("if the cycles are over, replace it"),
                    retained.get("advice").asText());
            assertEquals(1, atSite.stream().filter(e -> e.getInt("refills") == ReuseScenario.CYCLES - 1).count(), context);
            assertEquals("retained", atSite.get(atSite.size() - 1).getString("pattern"), context);
        }
        assertTrue(reused.findingAt(SCENARIO + ".cycleConcurrentHashMap").get("advice").asText()
                .contains("new ConcurrentHashMap<>(196607)"), reused.toString());
        assertTrue(reused.findingAt(SCENARIO + ".cycleHashMap").get("advice").asText()
                .contains("new HashMap<>(262144)"), reused.toString());
        assertEquals(7, stopped.summary().get("oversizedMaps").asLong(), stopped.toString());
        assertEquals(0, stopped.summary().get("reusedMaps").asLong(), stopped.toString());
        assertTrue(result.stdout().contains("reused: 0"), result.describe());

        // Drained once: retained, replace it.
        JsonNode once = reused.findingAt(SCENARIO + ".growDrainedOnce");
        assertEquals("retained", once.get("pattern").asText(), context);
        assertEquals(0, once.get("maps").get(0).get("refills").asInt(), context);
        assertTrue(once.get("advice").asText().contains("replace it with a new one (map = new HashMap<>())"),
                once.get("advice").asText());
        // Pre-sized and never filled: never-filled, and the log says where it was sized.
        JsonNode presized = reused.findingAt(SCENARIO + ".presize");
        assertEquals("never-filled", presized.get("pattern").asText(), context);
        assertTrue(presized.get("advice").asText().contains("never filled"), presized.get("advice").asText());
        assertEquals(1, result.agentLines().stream()
                .filter(l -> l.contains("never filled), sized at " + SCENARIO + ".presize(")).count(), context);
        // Left at 5% of its peak: retained, with the copy advice.
        JsonNode partly = reused.findingAt(SCENARIO + ".growPartlyDrained");
        assertEquals("retained", partly.get("pattern").asText(), context);
        assertEquals(ReuseScenario.ENTRIES / 20, partly.get("maps").get(0).get("size").asInt(), context);
        // Its peak as the agent saw it: at its last resize (98,305 entries) or later, by a scan.
        int peak = partly.get("maps").get(0).get("peakSize").asInt();
        assertTrue(peak >= 98_305 && peak <= ReuseScenario.ENTRIES, context);
        assertTrue(partly.get("advice").asText().contains("replace it with a copy (map = new HashMap<>(map))"),
                partly.get("advice").asText());

        // Two sites with the same innermost frame: two lines, told apart by the frame where they differ.
        List<String> shared = result.agentLines().stream()
                .filter(l -> l.contains("grown at " + SCENARIO + ".sharedFill(")).collect(Collectors.toList());
        assertEquals(2, shared.size(), context);
        assertNotEquals(shared.get(0), shared.get(1), context);
        assertTrue(shared.get(1).contains(" via " + SCENARIO + ".firstCaller(")
                || shared.get(1).contains(" via " + SCENARIO + ".secondCaller("), context);
        // One line per site, said once: the five from the start, and at most one for each cycling map.
        long said = result.agentLines().stream().filter(l -> l.contains("oversized:")).count();
        assertTrue(said >= 5 && said <= 7, context);
        assertEquals(0, stopped.agent().get("trackerFailures").asLong(), stopped.toString());
    }

    @ParameterizedTest
    @JdkSource
    void refillsBetweenTwoScansAreCountedByTheHooks(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=300ms,scanInterval=1h")
                .main(ReuseScenario.class, "between")
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = printed(result, "REUSED ");
        String context = result.describe() + "\n" + report;
        for (String filled : new String[] {"fillHashMapToClear", "fillHashMapToRemove", "fillChmToClear",
                "fillIdentityToRemove"}) {
            JsonNode finding = assertReused(report, filled, context);
            assertTrue(finding.get("advice").asText().contains("keep it"), filled + ": " + finding.get("advice"));
        }
        assertEquals(0, report.summary().get("oversizedMaps").asLong(), context);
        assertEquals(4, report.summary().get("reusedMaps").asLong(), context);
        assertEquals(0, result.agentLines().stream().filter(l -> l.contains("oversized:")).count(), context);
        assertEquals(0, report.agent().get("trackerFailures").asLong(), context);
    }

    /** A reused finding of one map, refilled after each of its six fills but the first. */
    private static JsonNode assertReused(ParsedReport report, String method, String context) {
        JsonNode finding = report.findingAt(SCENARIO + "." + method);
        assertEquals("reused", finding.get("pattern").asText(), method + "\n" + context);
        assertEquals(0, finding.get("oversizedMaps").asLong(), method + "\n" + context);
        assertEquals(0, finding.get("wastedBytes").asLong(), method + "\n" + context);
        assertEquals(1, finding.get("reusedMaps").asLong(), method + "\n" + context);
        JsonNode map = finding.get("maps").get(0);
        assertEquals(ReuseScenario.CYCLES - 1, map.get("refills").asInt(), method + "\n" + context);
        assertTrue(map.get("idleBytes").asLong() > 0, method + "\n" + context);
        assertEquals(map.get("idleBytes").asLong(), finding.get("reusedIdleBytes").asLong(), method + "\n" + context);
        long cycle = map.get("cycleMillis").asLong();
        assertTrue(cycle >= 700 && cycle <= 2_000, method + ": cycle " + cycle + " ms\n" + context);
        assertTrue(map.get("peakSize").asInt() >= ReuseScenario.ENTRIES / 8, method + "\n" + context);
        return finding;
    }

    private static ParsedReport printed(ForkedJvm.Result result, String prefix) throws Exception {
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith(prefix)) {
                return ParsedReport.parse(line.substring(prefix.length()));
            }
        }
        throw new AssertionError("no " + prefix + "report printed\n" + result.describe());
    }

    private static List<RecordedEvent> events(Path recording) throws Exception {
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals(EVENT)) {
                events.add(event);
            }
        }
        return events;
    }

    private static List<RecordedEvent> eventsAt(List<RecordedEvent> events, String topFrame) {
        List<RecordedEvent> at = new ArrayList<>();
        for (RecordedEvent event : events) {
            if (event.getString("site").startsWith(topFrame)) {
                at.add(event);
            }
        }
        return at;
    }
}
