package dev.mapretention.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.params.ParameterizedTest;
import dev.mapretention.testing.JdkSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus JMX exporter's own collector ({@code io.prometheus.jmx:collector}) scraping a JVM
 * that runs the agent, on Java 17 and 25: with the shipped rules
 * ({@code prometheus/map-retention.yaml}) it exports the Micrometer binder's three names, with the
 * agent's exact figures for a drained map; with its default rule, the names README lists.
 */
class PrometheusJmxExporterIT {

    @ParameterizedTest
    @JdkSource
    void theShippedRulesExportTheDrainedMapAsTheAgentReportsIt(Jdk jdk) throws Exception {
        ForkedJvm jvm = ForkedJvm.on(jdk).agent("grace=0s,scanInterval=100ms");
        for (Path jar : Shipped.jars("collector-", "prometheus-metrics-", "snakeyaml-")) {
            jvm.classPath(jar);
        }
        ForkedJvm.Result result = run(jvm.main(JmxExporterScenario.class,
                Shipped.file("prometheus/map-retention.yaml").toString()));
        assertEquals(0, result.exitCode(), result.describe());
        String out = result.stdout();
        String withRules = between(out, "--- RULES\n", "--- DEFAULT\n", result);
        String withDefault = between(out, "--- DEFAULT\n", "REPORT ", result);
        ParsedReport report = ParsedReport.parse(out.substring(out.indexOf("REPORT ") + "REPORT ".length()));
        JsonNode summary = report.summary();
        long wasted = report.findingAt(AgentMBean.class.getName() + ".growAndDrain").get("wastedBytes").asLong();
        assertTrue(wasted > 0, report.toString());
        JsonNode drained = report.findingAt(AgentMBean.class.getName() + ".growAndDrain").get("maps").get(0);
        assertEquals(AgentMBean.TABLE_SLOTS, drained.get("capacity").asInt(), report.toString());
        assertEquals(0, drained.get("size").asInt(), report.toString());
        assertEquals(wasted, summary.get("wastedBytes").asLong(), "the drained map is the only oversized one\n" + report);

        // The rules: our three metrics under the Micrometer names, gauges, and nothing else of ours.
        assertEquals(Set.of("map_retention_tracked_maps", "map_retention_oversized_maps", "map_retention_wasted_bytes"),
                namesStartingWith(withRules, "map_retention_"), withRules);
        assertEquals(Set.of(), namesStartingWith(withRules, "dev_mapretention_"), withRules);
        assertEquals((double) wasted, Shipped.sample(withRules, "map_retention_wasted_bytes"), withRules);
        assertEquals(1.0, Shipped.sample(withRules, "map_retention_oversized_maps"), withRules);
        assertEquals(summary.get("trackedMaps").asDouble(), Shipped.sample(withRules, "map_retention_tracked_maps"), withRules);
        for (String name : namesStartingWith(withRules, "map_retention_")) {
            assertTrue(withRules.contains("# TYPE " + name + " gauge\n"), withRules);
            assertTrue(withRules.contains("# HELP " + name + " "), withRules);
        }

        // The default rule: the names README shows (Findings, open data, is skipped).
        assertEquals(Set.of("dev_mapretention_MapRetention_TrackedMaps", "dev_mapretention_MapRetention_OversizedMaps",
                        "dev_mapretention_MapRetention_WastedBytes", "dev_mapretention_MapRetention_TrackerFailures",
                        "dev_mapretention_MapRetention_ReusedMaps", "dev_mapretention_MapRetention_ReusedIdleBytes"),
                namesStartingWith(withDefault, "dev_mapretention_"), withDefault);
        assertEquals(0.0, Shipped.sample(withDefault, "dev_mapretention_MapRetention_ReusedMaps"));
        assertEquals(0.0, Shipped.sample(withDefault, "dev_mapretention_MapRetention_ReusedIdleBytes"));
        assertEquals((double) wasted, Shipped.sample(withDefault, "dev_mapretention_MapRetention_WastedBytes"));
        assertEquals(0.0, Shipped.sample(withDefault, "dev_mapretention_MapRetention_TrackerFailures"));
    }

    /** Runs the JVM to its end; its output files are deleted whatever happens (Running.close). */
    private static ForkedJvm.Result run(ForkedJvm jvm) throws Exception {
        try (ForkedJvm.Running running = jvm.start()) {
            return running.await(Duration.ofMinutes(2));
        }
    }

    private static Set<String> namesStartingWith(String scrape, String prefix) {
        Set<String> names = new TreeSet<>();
        Matcher m = Shipped.SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String between(String out, String start, String end, ForkedJvm.Result result) {
        int from = out.indexOf(start);
        int to = out.indexOf(end, from + 1);
        assertTrue(from >= 0 && to > from, result.describe());
        return out.substring(from + start.length(), to);
    }
}
