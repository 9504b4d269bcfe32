package dev.mapretention.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Micrometer gauges for the map-retention agent running in this JVM:
 * <ul>
 *   <li>{@code map.retention.tracked}: maps tracked now (base unit {@code maps});</li>
 *   <li>{@code map.retention.oversized}: maps flagged oversized now (base unit {@code maps});</li>
 *   <li>{@code map.retention.wasted}: bytes their tables waste (base unit {@code bytes}).</li>
 * </ul>
 *
 * <pre>{@code
 * new MapRetentionMetrics().bindTo(registry);
 * }</pre>
 *
 * <p>The gauges read the agent's MXBean ({@code dev.mapretention:type=MapRetention}) on the
 * platform MBeanServer, never the agent's classes, so they work whichever class loader loaded
 * the agent, and also when the agent is attached to the running JVM after this binder was bound.
 * While no agent is loaded they read {@code NaN}; the first such read logs one warning. Nothing
 * here ever throws into the application.
 *
 * <p>It ships in its own jar, {@code map-retention-micrometer}, which the application depends on,
 * never in the agent jar: {@code -javaagent} puts the agent jar on the system class path, where a
 * binder class could not see the micrometer-core of an application's own class loader (a Spring
 * Boot fat jar's, say).
 *
 * <p>Each read of a gauge is a fresh census of the tracked maps, as any read of the MXBean is.
 * {@link #close()} removes the gauges this binder registered.
 */
public class MapRetentionMetrics implements MeterBinder, AutoCloseable {

    /**
     * The ObjectName of the agent's MXBean. The binder is its own jar, without the agent's
     * classes (an application's class loader may not see them), so the name is spelled here;
     * a test pins it to the agent's.
     */
    public static final String OBJECT_NAME = "dev.mapretention:type=MapRetention";

    /** The agent's scanner thread, which registers the MXBean. */
    private static final String SCANNER_THREAD = "map-retention-scanner";

    private static final System.Logger LOG = System.getLogger(MapRetentionMetrics.class.getName());

    private final Iterable<Tag> tags;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final List<Registered> registered = new ArrayList<>();

    /** Gauges without extra tags. */
    public MapRetentionMetrics() {
        this(Tags.empty());
    }

    /** Gauges with these tags added to each. */
    public MapRetentionMetrics(Iterable<Tag> tags) {
        this.tags = tags;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        register(registry, "map.retention.tracked", "TrackedMaps", "maps",
                "JDK hash maps tracked by the map-retention agent: live maps whose table reached minCapacity");
        register(registry, "map.retention.oversized", "OversizedMaps", "maps",
                "Tracked maps retained or never filled: sparse past the grace period, keeping their peak-size table"
                        + " (maps reused in cycles are not counted)");
        register(registry, "map.retention.wasted", "WastedBytes", "bytes",
                "Bytes held by the tables of oversized maps (retained or never filled) beyond the tables that copies"
                        + " of them would allocate");
    }

    private void register(MeterRegistry registry, String name, String attribute, String baseUnit,
                          String description) {
        // A strong reference: the usual `new MapRetentionMetrics().bindTo(registry)` keeps no
        // reference to the binder, and a weakly held one would turn the gauges into NaN at the next GC.
        Gauge gauge = Gauge.builder(name, this, binder -> binder.read(attribute))
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .strongReference(true)
                .register(registry);
        synchronized (registered) {
            registered.add(new Registered(registry, gauge));
        }
    }

    /** Removes every gauge this binder registered, from every registry it was bound to. */
    @Override
    public void close() {
        List<Registered> toRemove;
        synchronized (registered) {
            toRemove = new ArrayList<>(registered);
            registered.clear();
        }
        for (Registered r : toRemove) {
            r.registry.remove(r.meter);
        }
    }

    /** One attribute of the MXBean as a double; NaN (and one warning) when it cannot be read. */
    private double read(String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object value = server.getAttribute(objectName(), attribute);
            if (value instanceof Number) {
                return ((Number) value).doubleValue();
            }
            warnOnce("the MBean " + OBJECT_NAME + " has no numeric attribute " + attribute
                    + ": map.retention.* gauges read NaN");
        } catch (InstanceNotFoundException e) {
            if (!warned.get() && !agentStarting()) {
                warnOnce("the map-retention agent is not loaded in this JVM (no MBean " + OBJECT_NAME
                        + "): map.retention.* gauges read NaN until it is; start the JVM with"
                        + " -javaagent:map-retention-agent.jar or attach the agent to it");
            }
        } catch (Exception | LinkageError e) {
            warnOnce("cannot read " + attribute + " from the MBean " + OBJECT_NAME
                    + ": map.retention.* gauges read NaN (" + e + ")");
        }
        return Double.NaN;
    }

    /**
     * True when the agent's scanner thread runs but has not registered the MXBean yet: the agent
     * registers it on that thread, off the application's start-up path, so a gauge read early in
     * {@code main} can come first. That is no reason to warn; the gauge reads NaN until then.
     */
    private static boolean agentStarting() {
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, 0)) {
            if (thread != null && SCANNER_THREAD.equals(thread.getThreadName())) {
                return true;
            }
        }
        return false;
    }

    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            try {
                LOG.log(System.Logger.Level.WARNING, message);
            } catch (RuntimeException | LinkageError e) {
                // a broken logging set-up must not break a metrics scrape
            }
        }
    }

    private static ObjectName objectName() throws MalformedObjectNameException {
        return new ObjectName(OBJECT_NAME);
    }

    private static final class Registered {
        final MeterRegistry registry;
        final Meter meter;

        Registered(MeterRegistry registry, Meter meter) {
            this.registry = registry;
            this.meter = meter;
        }
    }
}
