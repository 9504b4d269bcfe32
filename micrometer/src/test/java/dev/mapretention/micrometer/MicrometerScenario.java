package dev.mapretention.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * A user's application with the Micrometer binder (its jar and micrometer on the class path, the
 * agent, if any, through {@code -javaagent}): it binds {@link MapRetentionMetrics} to a
 * {@code SimpleMeterRegistry}, grows and drains one map, waits until the gauges show it, and
 * prints the gauges and (with the agent) the agent's JSON report, so the test can check that
 * they agree. Argument {@code with-agent} or {@code without-agent}.
 *
 * <p>Output lines: {@code GAUGE name baseUnit value tags}, {@code DESCRIBED name true|false},
 * {@code REPORT <json on one line>}, {@code METERS AFTER CLOSE n}.
 */
public final class MicrometerScenario {

    static final int ENTRIES = 20_000;

    public static void main(String[] args) throws Exception {
        boolean withAgent = args.length > 0 && args[0].equals("with-agent");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MapRetentionMetrics metrics = new MapRetentionMetrics(Tags.of("app", "scenario"));
        metrics.bindTo(registry);

        Map<Integer, String> map = growAndDrain();
        if (withAgent) {
            Gauge oversized = registry.get("map.retention.oversized").gauge();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(oversized.value() >= 1)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("map.retention.oversized stayed at " + oversized.value());
                }
                Thread.sleep(50);
            }
        } else {
            // Read each gauge a few times: still one warning.
            for (int i = 0; i < 3; i++) {
                for (Meter meter : registry.getMeters()) {
                    ((Gauge) meter).value();
                }
            }
        }
        for (Meter meter : registry.getMeters()) {
            Gauge gauge = (Gauge) meter;
            System.out.println("GAUGE " + gauge.getId().getName() + " " + gauge.getId().getBaseUnit() + " "
                    + gauge.value() + " " + gauge.getId().getTags());
            String description = gauge.getId().getDescription();
            System.out.println("DESCRIBED " + gauge.getId().getName() + " " + (description != null && !description.isBlank()));
        }
        if (withAgent) {
            System.out.println("REPORT " + reportJson().replace('\n', ' '));
        }
        metrics.close();
        System.out.println("METERS AFTER CLOSE " + registry.getMeters().size());
        System.out.println("map still held: " + map.isEmpty());
    }

    /** The agent's JSON report, read through JMX by name, as the binder reads its attributes. */
    private static String reportJson() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName(MapRetentionMetrics.OBJECT_NAME), "reportJson", new Object[0], new String[0]);
    }

    static Map<Integer, String> growAndDrain() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        map.clear();
        return map;
    }
}
