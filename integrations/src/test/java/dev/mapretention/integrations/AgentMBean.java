package dev.mapretention.integrations;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * What the scenario programs share: a map grown and drained at a known site, and the agent's
 * MXBean read by name through the platform MBeanServer (never through the agent's classes).
 */
final class AgentMBean {

    static final String OBJECT_NAME = "dev.mapretention:type=MapRetention";

    /** 300,000 entries: a 524,288-slot table, 2 MiB of references once drained. */
    static final int ENTRIES = 300_000;

    /** The table HashMap grows to for {@link #ENTRIES}: it doubles past 0.75 x its length. */
    static final int TABLE_SLOTS = 1 << 19;

    private AgentMBean() {
    }

    /** Grows a map past the agent's minCapacity and clears it; the caller keeps it alive. */
    static Map<Integer, String> growAndDrain() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        map.clear();
        return map;
    }

    /** Waits until the agent has flagged at least one map; fails after 60 s. */
    static void awaitOversized() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!(server.isRegistered(name) && (Long) server.getAttribute(name, "OversizedMaps") >= 1)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent flagged no map within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** The agent's JSON report, on one line. */
    static String reportJson() throws Exception {
        String json = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName(OBJECT_NAME), "reportJson", new Object[0], new String[0]);
        return json.replace('\n', ' ');
    }
}
