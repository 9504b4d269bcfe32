package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.SecretContents;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.ValueDescriptor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security: no output of the agent carries a key, value or element of any map. {@link SecretContents}
 * fills maps, sets and user subclasses with a marker string (in keys, values, elements, and in the
 * {@code toString} of a key type and of the subclasses), drains them to a few entries so that the
 * agent flags every one, and the test searches every channel for the marker: the JVM's standard
 * output and error (the agent's log at {@code debug}), the JSON report file, everything the MXBean
 * says (all attributes, {@code reportJson()}, {@code reportText()}), and every string field of every
 * event in a JFR recording. Each channel must also show the flagged maps' sites, so that a channel
 * that said nothing at all cannot pass.
 */
class NoContentsLeakIT {

    private static final String SCENARIO = SecretContents.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void noChannelCarriesMapContents(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        Path jmxDump = dir.resolve("jmx.txt");
        Path recording = dir.resolve("recording.jfr");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("minCapacity=64,grace=0s,scanInterval=10ms,log=debug,report=" + reportFile)
                .jvmArgs("-XX:StartFlightRecording:filename=" + recording + ",dumponexit=true")
                .main(SecretContents.class, reportFile.toString(), jmxDump.toString())
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("SECRETS DONE"), result.describe());
        String marker = SecretContents.MARKER;

        assertNoMarker("standard output", result.stdout(), marker);
        assertNoMarker("standard error", result.stderr(), marker);
        String json = Files.readString(reportFile);
        assertNoMarker("report file", json, marker);
        String jmx = Files.readString(jmxDump);
        assertNoMarker("MXBean", jmx, marker);
        List<String> jfrStrings = new ArrayList<>();
        List<String> jfrSites = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            collectStrings(event, jfrStrings, 0);
            if (event.getEventType().getName().equals("dev.mapretention.OversizedMap")) {
                jfrSites.add(event.getString("site"));
            }
        }
        for (String s : jfrStrings) {
            assertNoMarker("JFR recording", s, marker);
        }

        // Each channel did speak of every flagged map.
        ParsedReport report = ParsedReport.parse(json);
        for (String method : SecretContents.SITES) {
            JsonNode finding = report.findingAt(SCENARIO + "." + method);
            assertEquals(SecretContents.LEFT, finding.get("maps").get(0).get("size").asInt(), report.toString());
            String frame = SCENARIO + "." + method + "(";
            assertTrue(result.agentLines().stream().anyMatch(l -> l.contains("oversized:") && l.contains(frame)),
                    "no log line for " + method + "\n" + result.describe());
            assertTrue(jmx.contains("reportJson() = ") && jmx.contains("Findings = [") && jmx.contains(frame),
                    "MXBean silent on " + method + "\n" + jmx);
            assertTrue(jfrSites.stream().anyMatch(s -> s.startsWith(frame)), "no JFR event for " + method
                    + ": " + jfrSites);
        }
        assertTrue(jfrStrings.size() > 1_000, "the JFR search saw only " + jfrStrings.size() + " strings");
    }

    private static void assertNoMarker(String channel, String text, String marker) {
        int at = text.indexOf(marker);
        if (at >= 0) {
            throw new AssertionError(channel + " holds map contents: ..."
                    + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 100)) + "...");
        }
    }

    /** Every string reachable from the object's fields (nested objects and arrays included). */
    private static void collectStrings(Object value, List<String> out, int depth) {
        if (value == null || depth > 8) {
            return;
        }
        if (value instanceof String) {
            out.add((String) value);
        } else if (value instanceof RecordedObject) {
            RecordedObject object = (RecordedObject) value;
            for (ValueDescriptor field : object.getFields()) {
                collectStrings(object.getValue(field.getName()), out, depth + 1);
            }
        } else if (value instanceof Object[]) {
            for (Object element : (Object[]) value) {
                collectStrings(element, out, depth + 1);
            }
        } else if (value instanceof List) {
            for (Object element : (List<?>) value) {
                collectStrings(element, out, depth + 1);
            }
        }
    }
}
