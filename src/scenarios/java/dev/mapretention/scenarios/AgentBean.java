package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * The agent's MXBean as a scenario program sees it: through the platform MBeanServer, by name,
 * never through the agent's classes.
 */
final class AgentBean {

    static final String OBJECT_NAME = "dev.mapretention:type=MapRetention";

    private AgentBean() {
    }

    /**
     * Waits until the agent's MXBean is registered (the agent does that on its own thread, just
     * after start-up); fails after 30 s.
     */
    static ObjectName awaitRegistered() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(OBJECT_NAME + " not registered: is the agent loaded?");
            }
            Thread.sleep(10);
        }
        return name;
    }

    /** Waits until the agent reports at least {@code count} oversized maps; fails after {@code seconds}. */
    static void awaitOversized(long count, int seconds) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            if (server.isRegistered(name) && (Long) server.getAttribute(name, "OversizedMaps") >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not flag " + count + " maps within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** The agent's JSON report, read through JMX. */
    static String reportJson() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName(OBJECT_NAME), "reportJson", new Object[0], new String[0]);
    }
}
