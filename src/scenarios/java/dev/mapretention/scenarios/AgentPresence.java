package dev.mapretention.scenarios;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * A small application that says whether the agent is installed in its JVM, for the tests of bad
 * options: its own output must come through unchanged whatever the agent thinks of its options.
 *
 * <p>The agent is installed when the boot-side tracker has a live state, or the agent's scanner
 * thread runs, or its MXBean is registered: premain starts the first two before {@code main}.
 * An optional argument is a time in milliseconds to keep running once the agent's MXBean is
 * registered (the scanner registers it before its first scan), so that the scanner scans.
 */
public final class AgentPresence {

    private AgentPresence() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> work = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            work.put("k" + i, i);
        }
        work.clear();
        if (args.length > 0) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!beanRegistered() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(Long.parseLong(args[0]));
        }
        System.out.println("application output: " + work.size() + " entries left, all good");
        System.out.println("agent installed: " + (trackerLive() || scannerRunning() || beanRegistered()));
    }

    /** True while the boot-side tracker has a live state. */
    static boolean trackerLive() throws Exception {
        Class<?> tracker;
        try {
            tracker = Class.forName("dev.mapretention.agent.boot.MapTracker", false, null);
        } catch (ClassNotFoundException e) {
            return false;
        }
        return (Boolean) tracker.getMethod("isInstalled").invoke(null);
    }

    /** True while the agent's scanner thread runs. */
    static boolean scannerRunning() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("map-retention-scanner")) {
                return true;
            }
        }
        return false;
    }

    private static boolean beanRegistered() throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("dev.mapretention:type=MapRetention"));
    }
}
