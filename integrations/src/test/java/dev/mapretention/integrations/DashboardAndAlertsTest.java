package dev.mapretention.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard ({@code grafana/map-retention.json}) and the alert rules
 * ({@code prometheus/alerts.yaml}) query only metrics we export: the names of the JMX exporter
 * rules ({@code prometheus/map-retention.yaml}), which are the Micrometer binder's Prometheus names
 * ({@code SpringBootFatJarIT} and {@code PrometheusJmxExporterIT} check both ends).
 */
class DashboardAndAlertsTest {

    private static final Set<String> MICROMETER_NAMES =
            Set.of("map_retention_tracked_maps", "map_retention_oversized_maps", "map_retention_wasted_bytes");

    @Test
    void theExporterRulesNameExactlyTheMicrometerNames() throws IOException {
        assertEquals(MICROMETER_NAMES, exported());
    }

    @Test
    void everyDashboardQueryUsesOnlyMetricsWeExport() throws IOException {
        Map<String, String> queries = dashboardQueries();
        assertFalse(queries.isEmpty());
        Set<String> used = new TreeSet<>();
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Set<String> names = query.getKey().startsWith("variable ")
                    ? PromQlNames.ofGrafanaQuery(query.getValue()) : PromQlNames.of(query.getValue());
            assertFalse(names.isEmpty(), query.toString());
            assertTrue(exported().containsAll(names), query + " uses " + names + ", we export " + exported());
            used.addAll(names);
        }
        assertTrue(used.containsAll(Set.of("map_retention_wasted_bytes", "map_retention_oversized_maps")), used.toString());
    }

    /** Over time, per instance, and filtered by the job and instance variables. */
    @Test
    void theDashboardShowsWasteAndOversizedMapsPerInstanceForTheChosenInstances() throws IOException {
        JsonNode dashboard = dashboard();
        List<String> variables = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertTrue(variables.containsAll(List.of("datasource", "job", "instance")), variables.toString());

        Set<String> perInstance = new TreeSet<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText();
                assertTrue(expr.contains("job=~\"$job\"") && expr.contains("instance=~\"$instance\""), expr);
                if (panel.get("type").asText().equals("timeseries")
                        && target.path("legendFormat").asText().contains("{{instance}}")) {
                    perInstance.addAll(PromQlNames.of(expr));
                }
            }
        }
        assertEquals(Set.of("map_retention_wasted_bytes", "map_retention_oversized_maps"), perInstance);
    }

    @Test
    void everyAlertUsesOnlyMetricsWeExport() throws IOException {
        Map<String, Object> rules = yaml("prometheus/alerts.yaml");
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> group : list(rules.get("groups"))) {
            alerts.addAll(list(group.get("rules")));
        }
        assertFalse(alerts.isEmpty());
        for (Map<String, Object> alert : alerts) {
            String expr = String.valueOf(alert.get("expr"));
            Set<String> names = PromQlNames.of(expr);
            assertFalse(names.isEmpty(), expr);
            assertTrue(exported().containsAll(names), alert.get("alert") + " uses " + names);
            assertTrue(alert.get("alert") instanceof String && alert.get("for") instanceof String, alert.toString());
        }
    }

    /** The extractor itself: it finds metrics, and only metrics, in what dashboards write. */
    @Test
    void promQlNamesTellMetricsFromFunctionsLabelsAndVariables() {
        assertEquals(Set.of("http_requests_total", "up"), PromQlNames.of(
                "sum by (instance, job) (rate(http_requests_total{job=~\"$job\", path!=\"/x{y}\"}[$__rate_interval]))"
                        + " / on(instance) group_left(version) max without (pod) (up offset 5m) > bool 0.5e3"));
        assertEquals(Set.of("map_retention_wasted_bytes"), PromQlNames.of("map_retention_wasted_bytes > 64 * 1024 * 1024"));
        assertEquals(Set.of("jvm_memory_used_bytes"), PromQlNames.of("topk(5, jvm_memory_used_bytes)"));
        assertEquals(Set.of("map_retention_tracked_maps"),
                PromQlNames.ofGrafanaQuery("label_values(map_retention_tracked_maps{job=~\"$job\"}, instance)"));
        assertEquals(Set.of(), PromQlNames.ofGrafanaQuery("label_values(job)"));
    }

    /** The names the shipped JMX exporter rules give. */
    private static Set<String> exported() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> rule : list(yaml("prometheus/map-retention.yaml").get("rules"))) {
            names.add(String.valueOf(rule.get("name")));
        }
        return names;
    }

    /** Every PromQL query of the dashboard: panel targets ("panel TITLE #n") and variable queries. */
    private static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = dashboard();
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard)) {
            int n = 0;
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel " + panel.get("title").asText() + " #" + n++, target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.get("type").asText().equals("query")) {
                JsonNode query = variable.get("query");
                queries.put("variable " + variable.get("name").asText(),
                        query.isTextual() ? query.asText() : query.get("query").asText());
            }
        }
        return queries;
    }

    /** All panels, those nested in rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Shipped.file("grafana/map-retention.json").toFile());
    }

    private static Map<String, Object> yaml(String relative) throws IOException {
        Path file = Shipped.file(relative);
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object yamlList) {
        return (List<Map<String, Object>>) yamlList;
    }
}
