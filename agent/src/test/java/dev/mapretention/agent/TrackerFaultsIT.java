package dev.mapretention.agent;

import dev.mapretention.scenarios.TrackerFaults;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection: with the test switch that makes every tracker event throw inside HashMap's
 * {@code resize}, {@code removeNode} and {@code clear}, the application's maps still give exactly
 * the right results ({@link TrackerFaults} checks each against a TreeMap); each failure is counted,
 * tracking switches itself off after {@value #MAX_FAILURES} of them, and the report, the text report
 * and standard error say so.
 */
class TrackerFaultsIT {

    /** {@code TrackingState.MAX_FAILURES}. */
    private static final int MAX_FAILURES = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void failuresInsideHashMapNeverReachTheApplication(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("minCapacity=256,scanInterval=10ms,report=" + reportFile)
                .jvmArgs("-Ddev.mapretention.test.injectTrackerFailures=true")
                .main(TrackerFaults.class)
                .run();
        assertEquals(0, result.exitCode(), "a map operation went wrong\n" + result.describe());
        assertTrue(result.stdout().contains("FAULTS DONE"), result.describe());
        assertTrue(result.stdout().matches("(?s).*VERIFIED [1-9]\\d* operations.*"), result.describe());

        ParsedReport report = ParsedReport.read(reportFile);
        assertTrue(report.agent().get("trackerFailures").asLong() >= MAX_FAILURES, report.toString());
        assertTrue(report.agent().get("trackingDisabled").asBoolean(), report.toString());
        assertEquals(0, report.agent().get("trackedTotal").asLong(), "every event failed: nothing tracked\n" + report);

        assertTrue(result.stdout().contains("text report: agent: " + report.agent().get("trackerFailures").asLong()
                + " tracker failures, tracking switched off after repeated failures"), result.describe());
        // Said once, on standard error, with the count at the time (racing threads may add one or two).
        List<String> said = result.agentLines().stream()
                .filter(l -> l.contains("tracking switched itself off")).collect(Collectors.toList());
        assertEquals(1, said.size(), result.describe());
        Matcher line = Pattern.compile("\\[map-retention] tracking switched itself off after (\\d+) failures inside"
                + " HashMap operations \\(each was suppressed; the application was not affected\\)").matcher(said.get(0));
        assertTrue(line.matches(), said.get(0));
        assertTrue(Long.parseLong(line.group(1)) >= MAX_FAILURES, said.get(0));
    }
}
