package dev.mapretention.integrations;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Prometheus JMX exporter in a JVM running the agent, as the exporter's Java agent runs it:
 * its collector over the platform MBeanServer, written in Prometheus's text format. After a map
 * drained and the agent flagged it, it scrapes twice, with the rules file given as argument and
 * with the exporter's default rule, then prints the agent's report.
 *
 * <p>Output: {@code --- RULES}, the scrape, {@code --- DEFAULT}, the scrape, {@code REPORT <json>}.
 */
public final class JmxExporterScenario {

    private JmxExporterScenario() {
    }

    public static void main(String[] args) throws Exception {
        Map<Integer, String> map = AgentMBean.growAndDrain();
        AgentMBean.awaitOversized();
        System.out.println("--- RULES");
        System.out.print(scrape(new JmxCollector(new File(args[0]))));
        System.out.println("--- DEFAULT");
        // No rules: the exporter's default rule, which names every numeric attribute.
        System.out.print(scrape(new JmxCollector("{}")));
        System.out.println("REPORT " + AgentMBean.reportJson());
        System.out.println("map still held: " + map.isEmpty());
    }

    private static String scrape(JmxCollector collector) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        collector.register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
