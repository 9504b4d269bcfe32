package dev.mapretention.agent;

import dev.mapretention.scenarios.MapChurn;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No leak: the agent never keeps a map alive, and what it keeps of its own is bounded.
 * <ul>
 *   <li>A million tracked maps created and dropped ({@link MapChurn} {@code churn}): each is tracked,
 *       and after a collection the tracked count and the heap are back where they started.</li>
 *   <li>More live maps than {@code maxTrackedMaps}: the agent tracks no more than that, counts the
 *       rest as refused, says so once, and each live map costs no more heap than without the agent.</li>
 * </ul>
 */
class NoLeakIT {

    private static final int CHURNED = 1_000_000;
    private static final int HELD = 100_000;
    private static final int CAP = 1_000;

    /**
     * Heap allowed to remain after a million maps have come and gone. A leak of even the agent's
     * smallest record per map (a weak reference, over 40 bytes) would be over 40 MB.
     */
    private static final long HEAP_SLACK = 8L << 20;

    /** Maps the JVM itself (JMX, file writing) may create and keep while the test runs. */
    private static final long TRACKED_SLACK = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void aMillionDroppedMapsLeaveNothingBehind(Jdk jdk) throws Exception {
        // A small young generation: frequent collections, so dead maps are found dead while churning.
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("minCapacity=16,scanInterval=200ms")
                .jvmArgs("-Xmx256m", "-Xmn16m")
                .main(MapChurn.class, "churn", String.valueOf(CHURNED), dir.toString())
                .timeout(Duration.ofMinutes(3))
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        String line = result.stdout().lines().filter(l -> l.startsWith("maps=")).findFirst().orElseThrow();
        long trackedStart = number(line, "trackedStart");
        long trackedEnd = number(line, "trackedEnd");
        long heapStart = number(line, "heapStart");
        long heapEnd = number(line, "heapEnd");

        ParsedReport before = ParsedReport.read(dir.resolve("before.json"));
        ParsedReport after = ParsedReport.read(dir.resolve("after.json"));
        long tracked = after.agent().get("trackedTotal").asLong() - before.agent().get("trackedTotal").asLong();
        assertTrue(tracked >= CHURNED, "every churned map must have been tracked: " + tracked + "\n" + after);
        assertEquals(0, after.agent().get("refusedMaps").asLong(), after.toString());
        assertEquals(0, after.agent().get("trackerFailures").asLong(), after.toString());

        assertTrue(trackedEnd <= trackedStart + TRACKED_SLACK, "tracked maps did not fall back: " + line);
        assertTrue(heapEnd - heapStart < HEAP_SLACK, "heap grew by " + (heapEnd - heapStart) + " bytes: " + line);
    }

    @ParameterizedTest
    @JdkSource
    void beyondMaxTrackedMapsNothingMoreIsKept(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result withAgent = ForkedJvm.on(jdk)
                .agent("minCapacity=16,scanInterval=10ms,maxTrackedMaps=" + CAP + ",report=" + reportFile)
                .jvmArgs("-Xmx256m")
                .main(MapChurn.class, "hold", String.valueOf(HELD), reportFile.toString())
                .run();
        assertEquals(0, withAgent.exitCode(), withAgent.describe());
        ForkedJvm.Result without = ForkedJvm.on(jdk)
                .jvmArgs("-Xmx256m")
                .main(MapChurn.class, "hold", String.valueOf(HELD))
                .run();
        assertEquals(0, without.exitCode(), without.describe());

        ParsedReport report = ParsedReport.read(reportFile);
        assertTrue(report.summary().get("trackedMaps").asLong() <= CAP, report.toString());
        assertTrue(report.agent().get("refusedMaps").asLong() >= HELD - CAP, report.toString());

        // Said once, though the scanner scanned many times after (the scenario waits for ten rewrites).
        List<String> said = withAgent.agentLines().stream()
                .filter(l -> l.contains("maxTrackedMaps") && !l.contains("tracking hash maps of"))
                .collect(Collectors.toList());
        assertEquals(List.of("[map-retention] maxTrackedMaps=" + CAP + " maps are tracked: further large maps are"
                + " counted but not tracked until some are collected"), said, withAgent.describe());

        // A tracked map's record costs over 50 bytes; the refused ones must cost nothing.
        long perMapWith = number(withAgent.stdout(), "bytesPerMap");
        long perMapWithout = number(without.stdout(), "bytesPerMap");
        assertTrue(perMapWith <= perMapWithout + 16, "with the agent " + perMapWith + " bytes per held map, without "
                + perMapWithout);
    }

    private static long number(String text, String name) {
        Matcher m = Pattern.compile(name + "=(\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + name + "= in " + text);
        }
        return Long.parseLong(m.group(1));
    }
}
