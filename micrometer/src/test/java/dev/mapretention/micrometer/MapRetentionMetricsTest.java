package dev.mapretention.micrometer;

import dev.mapretention.agent.jmx.MapRetentionMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binder against a stand-in MBean registered under the agent's ObjectName in this JVM (the
 * binder reads only the MBeanServer, so it cannot tell): values, units, descriptions, tags,
 * close(), and NaN with one warning when the MBean is absent. Forked JVMs with the real agent are
 * in {@link MapRetentionMetricsIT}.
 */
class MapRetentionMetricsTest {

    /** The stand-in's management interface: the three attributes the gauges read. */
    public interface StandInMBean {
        long getTrackedMaps();

        long getOversizedMaps();

        long getWastedBytes();
    }

    public static final class StandIn implements StandInMBean {
        volatile long tracked = 7;
        volatile long oversized = 2;
        volatile long wasted = 8_388_608;

        @Override
        public long getTrackedMaps() {
            return tracked;
        }

        @Override
        public long getOversizedMaps() {
            return oversized;
        }

        @Override
        public long getWastedBytes() {
            return wasted;
        }
    }

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Logger julLogger = Logger.getLogger(MapRetentionMetrics.class.getName());
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ObjectName name;

    @BeforeEach
    void setUp() throws Exception {
        name = new ObjectName(MapRetentionMetrics.OBJECT_NAME);
        julLogger.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        julLogger.removeHandler(capture);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }

    /** The binder spells the agent's ObjectName itself (it has none of the agent's classes at run time). */
    @Test
    void theObjectNameIsTheAgents() {
        assertEquals(MapRetentionMXBean.OBJECT_NAME, MapRetentionMetrics.OBJECT_NAME);
    }

    @Test
    void gaugesReadTheMBeanWithUnitsDescriptionsAndTags() throws Exception {
        StandIn bean = new StandIn();
        server.registerMBean(bean, name);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MapRetentionMetrics(Tags.of("app", "orders")).bindTo(registry);
        // The binder is not referenced any more: its gauges must survive a GC.
        System.gc();

        Gauge tracked = registry.get("map.retention.tracked").tag("app", "orders").gauge();
        Gauge oversized = registry.get("map.retention.oversized").tag("app", "orders").gauge();
        Gauge wasted = registry.get("map.retention.wasted").tag("app", "orders").gauge();
        assertEquals(7.0, tracked.value());
        assertEquals(2.0, oversized.value());
        assertEquals(8_388_608.0, wasted.value());
        assertEquals("maps", tracked.getId().getBaseUnit());
        assertEquals("maps", oversized.getId().getBaseUnit());
        assertEquals("bytes", wasted.getId().getBaseUnit());
        for (Gauge g : List.of(tracked, oversized, wasted)) {
            assertTrue(g.getId().getDescription() != null && !g.getId().getDescription().isBlank(), g.getId().toString());
            assertEquals(List.of(Tag.of("app", "orders")), g.getId().getTags());
        }

        bean.wasted = 0;
        bean.oversized = 0;
        assertEquals(0.0, wasted.value(), "each read is live");
        assertEquals(0.0, oversized.value(), "each read is live");
        assertTrue(logged.isEmpty(), "nothing to warn about: " + logged);
    }

    @Test
    void withoutTheAgentGaugesReadNaNAndOneWarningIsLogged() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MapRetentionMetrics metrics = new MapRetentionMetrics();
        metrics.bindTo(registry);
        for (int i = 0; i < 3; i++) {
            for (String gauge : List.of("map.retention.tracked", "map.retention.oversized", "map.retention.wasted")) {
                assertTrue(Double.isNaN(registry.get(gauge).gauge().value()), gauge);
            }
        }
        assertEquals(1, logged.size(), "one warning, however many reads: " + logged);
        assertEquals(java.util.logging.Level.WARNING, logged.get(0).getLevel());
        assertTrue(logged.get(0).getMessage().contains("not loaded"), logged.get(0).getMessage());
    }

    @Test
    void noWarningWhileTheAgentIsStillRegisteringItsMBean() throws Exception {
        // The agent registers the MXBean on its scanner thread, just after premain.
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Thread scanner = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "map-retention-scanner");
        scanner.start();
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new MapRetentionMetrics().bindTo(registry);
            assertTrue(Double.isNaN(registry.get("map.retention.wasted").gauge().value()));
            assertTrue(logged.isEmpty(), "the agent is loaded, its MBean is on its way: " + logged);
            server.registerMBean(new StandIn(), name);
            assertEquals(2.0, registry.get("map.retention.oversized").gauge().value());
        } finally {
            stop.countDown();
            scanner.join();
        }
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void gaugesFollowTheMBeanWhenTheAgentArrivesLater() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MapRetentionMetrics().bindTo(registry);
        assertTrue(Double.isNaN(registry.get("map.retention.wasted").gauge().value()));
        server.registerMBean(new StandIn(), name);
        assertEquals(8_388_608.0, registry.get("map.retention.wasted").gauge().value());
    }

    @Test
    void closeRemovesWhatItRegisteredAndNothingElse() {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        first.counter("app.requests").increment();
        MapRetentionMetrics metrics = new MapRetentionMetrics();
        metrics.bindTo(first);
        metrics.bindTo(second);
        assertEquals(4, first.getMeters().size());
        assertEquals(3, second.getMeters().size());

        metrics.close();
        assertEquals(1, first.getMeters().size());
        assertEquals("app.requests", first.getMeters().get(0).getId().getName());
        assertEquals(0, second.getMeters().size());
        metrics.close();
    }
}
