package dev.mapretention.demo;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * The map-retention agent as the demo sees it: its MXBean on the platform MBeanServer, read by
 * name, exactly as JConsole or any JMX client would (the demo never uses the agent's classes).
 */
final class AgentClient {

    static final String OBJECT_NAME = "dev.mapretention:type=MapRetention";

    /** The agent registers its MXBean on this thread, just after it starts. */
    private static final String SCANNER_THREAD = "map-retention-scanner";

    private final MBeanServer server;
    private final ObjectName name;

    private AgentClient(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** The agent loaded in this JVM, or null when there is none. */
    static AgentClient find() throws JMException, InterruptedException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        // The agent's scanner thread registers the bean: while that thread runs, it is on its way.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!server.isRegistered(name)) {
            if (!scannerRunning() || System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(20);
        }
        return new AgentClient(server, name);
    }

    private static boolean scannerRunning() {
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, 0)) {
            if (thread != null && SCANNER_THREAD.equals(thread.getThreadName())) {
                return true;
            }
        }
        return false;
    }

    /** The agent's options, as {@code key=value} pairs ("defaults" when none were given). */
    String options() throws JMException {
        return (String) server.getAttribute(name, "Options");
    }

    long oversizedMaps() throws JMException {
        return (Long) server.getAttribute(name, "OversizedMaps");
    }

    /**
     * Waits until the agent reports at least one oversized map.
     *
     * @return false when {@code timeoutMillis} passed first
     */
    boolean awaitOversized(long timeoutMillis) throws JMException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (oversizedMaps() == 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /**
     * Waits until the agent reports no oversized map: its attributes answer from its last scan,
     * at most one scan interval old, so a remedy shows there by the next scan.
     *
     * @return false when {@code timeoutMillis} passed first
     */
    boolean awaitNoneOversized(long timeoutMillis) throws JMException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (oversizedMaps() != 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The agent's readable report for this JVM. */
    String reportText() throws JMException {
        return (String) server.invoke(name, "reportText", new Object[0], new String[0]);
    }
}
