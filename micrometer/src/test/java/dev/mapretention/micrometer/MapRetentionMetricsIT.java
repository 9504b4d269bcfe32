package dev.mapretention.micrometer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binder as an application uses it: its jar ({@code map-retention-micrometer.jar}) and
 * micrometer on the class path of a separate JVM, the agent through {@code -javaagent} on the built
 * agent jar, on Java 17 and Java 25, with the agent loaded (the gauges equal the agent's own
 * report after a drain) and without it (NaN, one warning, no exception).
 */
class MapRetentionMetricsIT {

    private static final String NOT_LOADED = "the map-retention agent is not loaded";

    @ParameterizedTest
    @JdkSource
    void gaugesEqualTheAgentsReportAfterADrain(Jdk jdk) throws Exception {
        ForkedJvm.Result result = run(withMicrometer(ForkedJvm.on(jdk))
                .agent("grace=200ms,scanInterval=100ms")
                .main(MicrometerScenario.class, "with-agent"));
        assertEquals(0, result.exitCode(), result.describe());
        Map<String, String[]> gauges = gauges(result);
        String report = reportLine(result);
        ParsedReport parsed = ParsedReport.parse(report);
        JsonNode summary = parsed.summary();

        assertGauge(gauges, "map.retention.tracked", "maps", summary.get("trackedMaps").asLong(), result);
        assertGauge(gauges, "map.retention.oversized", "maps", 1, result);
        assertEquals(1, summary.get("oversizedMaps").asLong(), parsed.toString());
        JsonNode finding = parsed.findingAt(MicrometerScenario.class.getName() + ".growAndDrain");
        long wasted = finding.get("maps").get(0).get("wastedBytes").asLong();
        assertTrue(wasted > 0, parsed.toString());
        assertEquals(wasted, summary.get("wastedBytes").asLong(), parsed.toString());
        assertGauge(gauges, "map.retention.wasted", "bytes", wasted, result);

        assertTrue(result.stdout().contains("METERS AFTER CLOSE 0"), "close() removes the gauges\n" + result.describe());
        assertFalse(result.stderr().contains(NOT_LOADED), result.describe());
        assertFalse(result.stderr().contains("Exception"), result.describe());
    }

    @ParameterizedTest
    @JdkSource
    void withoutTheAgentGaugesAreNaNWithOneWarning(Jdk jdk) throws Exception {
        ForkedJvm.Result result = run(withMicrometer(ForkedJvm.on(jdk))
                .main(MicrometerScenario.class, "without-agent"));
        assertEquals(0, result.exitCode(), result.describe());
        Map<String, String[]> gauges = gauges(result);
        assertEquals(3, gauges.size(), result.describe());
        for (String[] gauge : gauges.values()) {
            assertEquals("NaN", gauge[1], result.describe());
        }
        assertEquals(1, result.stderr().split(NOT_LOADED, -1).length - 1, "exactly one warning\n" + result.describe());
        assertFalse(result.stderr().contains("Exception"), result.describe());
        assertTrue(result.stdout().contains("METERS AFTER CLOSE 0"), result.describe());
    }

    /** The binder's jar is the binder alone: none of the agent's classes, no Micrometer. */
    @Test
    void theBinderJarHoldsTheBinderOnly() throws IOException {
        List<String> unexpected = new ArrayList<>();
        try (JarFile jar = new JarFile(binderJar().toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!entry.isDirectory() && !name.startsWith("META-INF/")
                        && !name.startsWith("dev/mapretention/micrometer/")) {
                    unexpected.add(name);
                }
            }
            assertTrue(jar.getEntry("dev/mapretention/micrometer/MapRetentionMetrics.class") != null);
        }
        assertEquals(List.of(), unexpected);
    }

    /** Runs the JVM to its end; its output files are deleted whatever happens (Running.close). */
    private static ForkedJvm.Result run(ForkedJvm jvm) throws Exception {
        try (ForkedJvm.Running running = jvm.start()) {
            return running.await(Duration.ofMinutes(2));
        }
    }

    /** The binder's jar on the class path, as an application that uses it puts it, plus micrometer. */
    private static ForkedJvm withMicrometer(ForkedJvm jvm) {
        return jvm.classPath(binderJar())
                .classPath(ForkedJvm.dependencyJar("micrometer-core-"))
                .classPath(ForkedJvm.dependencyJar("micrometer-commons-"))
                .classPath(ForkedJvm.dependencyJar("micrometer-observation-"))
                .classPath(ForkedJvm.dependencyJar("HdrHistogram-"));
    }

    /** The built binder jar ({@code micrometer/target/map-retention-micrometer.jar}). */
    private static Path binderJar() {
        Path jar = Path.of(System.getProperty("micrometer.jar", "target/map-retention-micrometer.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("binder jar not built: " + jar + " (run mvn package first; failsafe runs after it)");
        }
        return jar;
    }

    /** name -> {baseUnit, value, tags}, from the scenario's GAUGE lines; every gauge described. */
    private static Map<String, String[]> gauges(ForkedJvm.Result result) {
        Map<String, String[]> gauges = new LinkedHashMap<>();
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith("GAUGE ")) {
                String[] parts = line.split(" ", 5);
                gauges.put(parts[1], new String[] {parts[2], parts[3], parts[4]});
            }
            if (line.startsWith("DESCRIBED ")) {
                assertTrue(line.endsWith(" true"), "a gauge without a description: " + line);
            }
        }
        return gauges;
    }

    private static void assertGauge(Map<String, String[]> gauges, String name, String unit, long expected,
                                    ForkedJvm.Result result) {
        String[] gauge = gauges.get(name);
        assertTrue(gauge != null, "no gauge " + name + "\n" + result.describe());
        assertEquals(unit, gauge[0], name + "\n" + result.describe());
        assertEquals((double) expected, Double.parseDouble(gauge[1]), name + "\n" + result.describe());
        assertEquals("[tag(app=scenario)]", gauge[2], name + "\n" + result.describe());
    }

    private static String reportLine(ForkedJvm.Result result) {
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith("REPORT ")) {
                return line.substring("REPORT ".length());
            }
        }
        throw new AssertionError("no report printed\n" + result.describe());
    }
}
