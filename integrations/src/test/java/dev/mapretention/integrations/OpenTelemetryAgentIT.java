package dev.mapretention.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.params.ParameterizedTest;
import dev.mapretention.testing.JdkSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenTelemetry Java agent and ours in one JVM, on Java 17 (the OpenTelemetry agent first on
 * the command line) and Java 25 (ours first): both start, ours flags a drained map exactly, and
 * the OpenTelemetry agent, given the shipped rules ({@code otel/map-retention.yaml}), exports our
 * three metrics with our figures. Its console exporter stands in for OTLP: no network.
 */
class OpenTelemetryAgentIT {

    /** One metric of the console (logging) exporter: name, unit, type, the first point's value. */
    private static final Pattern EXPORTED = Pattern.compile(
            "name=(map\\.retention\\.\\w+), description=.*?, unit=([^,]+), type=(\\w+), data=\\w+\\{points=\\["
                    + "ImmutableLongPointData\\{startEpochNanos=\\d+, epochNanos=\\d+, attributes=\\{}, value=(-?\\d+),");

    @ParameterizedTest
    @JdkSource
    void theOpenTelemetryAgentExportsOurMetricsAndOursStillFlagsTheDrainedMap(Jdk jdk) throws Exception {
        String ours = "-javaagent:" + ForkedJvm.agentJar() + "=grace=0s,scanInterval=100ms";
        List<String> otel = List.of("-javaagent:" + otelAgentJar(),
                "-Dotel.jmx.config=" + Shipped.file("otel/map-retention.yaml"),
                "-Dotel.metrics.exporter=console", "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none",
                "-Dotel.metric.export.interval=500", "-Dotel.jmx.discovery.delay=1000");
        ForkedJvm jvm = ForkedJvm.on(jdk).main(OpenTelemetryScenario.class).timeout(Duration.ofMinutes(2));
        if (jdk == Jdk.JAVA17) {
            jvm.jvmArgs(otel.toArray(new String[0])).jvmArgs(ours);
        } else {
            jvm.jvmArgs(ours).jvmArgs(otel.toArray(new String[0]));
        }
        try (ForkedJvm.Running app = jvm.start()) {
            app.awaitOutput("RUNNING", Duration.ofMinutes(2));
            String out = app.stdout();
            int at = out.indexOf("REPORT ");
            ParsedReport report = ParsedReport.parse(out.substring(at + "REPORT ".length(), out.indexOf('\n', at)));
            JsonNode summary = report.summary();
            long wasted = report.findingAt(AgentMBean.class.getName() + ".growAndDrain").get("wastedBytes").asLong();
            assertTrue(wasted > 0, report.toString());
            JsonNode drained = report.findingAt(AgentMBean.class.getName() + ".growAndDrain").get("maps").get(0);
            assertEquals(AgentMBean.TABLE_SLOTS, drained.get("capacity").asInt(), report.toString());
            assertEquals(0, drained.get("size").asInt(), report.toString());
            assertEquals(wasted, summary.get("wastedBytes").asLong(), "the drained map is the only oversized one\n" + report);
            assertEquals(1, summary.get("oversizedMaps").asLong(), report.toString());

            Map<String, String[]> exported = awaitExported(app, Map.of(
                    "map.retention.wasted", wasted,
                    "map.retention.oversized", 1L,
                    "map.retention.tracked", summary.get("trackedMaps").asLong()));
            assertEquals("By", exported.get("map.retention.wasted")[0]);
            assertEquals("{map}", exported.get("map.retention.oversized")[0]);
            assertEquals("{map}", exported.get("map.retention.tracked")[0]);
            for (String[] metric : exported.values()) {
                assertEquals("LONG_SUM", metric[1], "an UpDownCounter");
            }

            app.process().getOutputStream().close();
            assertTrue(app.process().waitFor(60, TimeUnit.SECONDS), app.describe());
            assertEquals(0, app.process().exitValue(), app.describe());
            String err = app.stderr();
            assertTrue(err.contains("opentelemetry-javaagent - version: "), app.describe());
            assertTrue(err.contains("[map-retention] oversized: 1 HashMap"), app.describe());
            assertFalse(err.contains("Exception") || err.contains(" ERROR ") || err.contains("SEVERE"), app.describe());
        }
    }

    /**
     * Waits until the console exporter has printed each metric with its expected value (the
     * first exports may come before the OpenTelemetry agent has discovered our MXBean); returns
     * name -> {unit, type} of the matching exports. Fails after 60 s.
     */
    private static Map<String, String[]> awaitExported(ForkedJvm.Running app, Map<String, Long> expected)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Map<String, String[]> found = new TreeMap<>();
            Matcher m = EXPORTED.matcher(app.stderr());
            while (m.find()) {
                Long value = expected.get(m.group(1));
                if (value != null && value == Long.parseLong(m.group(4))) {
                    found.put(m.group(1), new String[] {m.group(2), m.group(3)});
                }
            }
            if (found.keySet().equals(expected.keySet())) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("exported with the expected values " + found.keySet() + " of " + expected
                        + "\n" + app.describe());
            }
            Thread.sleep(100);
        }
    }

    private static Path otelAgentJar() {
        Path jar = Path.of(System.getProperty("otel.agent.jar", "target/agents/opentelemetry-javaagent.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + " (mvn copies it at generate-test-resources)");
        }
        return jar;
    }
}
