package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.JfrScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JFR event, end to end on Java 17 and Java 25: a JVM started with a flight recording
 * flags two maps, and its recording holds exactly one {@code dev.mapretention.OversizedMap} per
 * map, with the values of the agent's JSON report and no stack trace; the JDK's own {@code jfr}
 * tool prints it.
 */
class JfrIT {

    private static final String EVENT = "dev.mapretention.OversizedMap";
    private static final String SCENARIO = JfrScenario.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void oneEventPerOversizedMapWithTheReportsValues(Jdk jdk) throws Exception {
        Path recording = dir.resolve("recording.jfr");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=200ms,scanInterval=100ms")
                .jvmArgs("-XX:StartFlightRecording:filename=" + recording)
                .main(JfrScenario.class, "keep", "1500")
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = report(result);
        // Both maps stayed oversized through ~15 more scans: still one event each.
        List<RecordedEvent> events = events(recording);
        assertEventsMatch(events, report);
        JsonNode set = report.findingAt(SCENARIO + ".growSet");
        assertEquals("HashSet", set.get("container").asText(), report.toString());
        assertEquals(100, set.get("maps").get(0).get("size").asInt(), report.toString());
        assertEquals(32_768, set.get("maps").get(0).get("capacity").asInt(), report.toString());

        String printed = jfrPrint(jdk, recording);
        assertEquals(2, printed.split(EVENT + " \\{", -1).length - 1, printed);
        assertTrue(printed.contains("container = \"HashMap\""), printed);
        assertTrue(printed.contains("container = \"HashSet\""), printed);
        assertTrue(printed.contains(SCENARIO + ".growMap(JfrScenario.java:"), printed);
        assertTrue(printed.contains("capacity = 262144"), printed);
    }

    /**
     * A map the MXBean reports as oversized has been logged and recorded already, even when the
     * application drops it at once: a long scan interval would leave it unrecorded otherwise.
     */
    @ParameterizedTest
    @JdkSource
    void aMapTheMXBeanReportsOversizedIsAlreadyRecorded(Jdk jdk) throws Exception {
        Path recording = dir.resolve("recording.jfr");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=100ms,scanInterval=3s")
                .jvmArgs("-XX:StartFlightRecording:filename=" + recording)
                .main(JfrScenario.class, "drop", "0")
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertEventsMatch(events(recording), report(result));
        assertEquals(2, result.agentLines().stream().filter(l -> l.contains("oversized:")).count(), result.describe());
    }

    private static ParsedReport report(ForkedJvm.Result result) throws Exception {
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith("REPORT ")) {
                return ParsedReport.parse(line.substring("REPORT ".length()));
            }
        }
        throw new AssertionError("no report printed\n" + result.describe());
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

    /** Exactly one event for each of the two maps, with the values of the report's finding. */
    private static void assertEventsMatch(List<RecordedEvent> events, ParsedReport report) {
        assertEquals(2, events.size(), events + "\n" + report);
        for (String method : new String[] {"growMap", "growSet"}) {
            JsonNode finding = report.findingAt(SCENARIO + "." + method);
            JsonNode map = finding.get("maps").get(0);
            List<String> frames = new ArrayList<>();
            finding.get("site").forEach(frame -> frames.add(frame.asText()));
            String site = String.join("\n", frames);
            List<RecordedEvent> atSite = new ArrayList<>();
            for (RecordedEvent event : events) {
                if (site.equals(event.getString("site"))) {
                    atSite.add(event);
                }
            }
            assertEquals(1, atSite.size(), method + ": " + events + "\n" + report);
            RecordedEvent event = atSite.get(0);
            assertEquals(finding.get("container").asText(), event.getString("container"), method);
            assertEquals(finding.get("siteKind").asText(), event.getString("siteKind"), method);
            assertEquals(map.get("type").asText(), event.getString("mapType"), method);
            assertEquals(map.get("capacity").asInt(), event.getInt("capacity"), method);
            assertEquals(map.get("size").asInt(), event.getInt("size"), method);
            assertEquals(map.get("wastedBytes").asLong(), event.getLong("wastedBytes"), method);
            assertTrue(event.getLong("wastedBytes") > 0, method);
            assertNull(event.getStackTrace(), "the site is in the event; no stack trace of the scanner thread");
        }
    }

    /** {@code jfr print --events dev.mapretention.OversizedMap FILE} with the JDK's own tool. */
    private static String jfrPrint(Jdk jdk, Path recording) throws Exception {
        Path out = Files.createTempFile("jfr-print", ".txt");
        try {
            Process jfr = new ProcessBuilder(jdk.tool("jfr").toString(), "print", "--events", EVENT,
                    recording.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            assertTrue(jfr.waitFor(60, TimeUnit.SECONDS), "jfr print did not end");
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, jfr.exitValue(), printed);
            return printed;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
