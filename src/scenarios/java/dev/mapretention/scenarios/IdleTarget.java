package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A target that stays up until told to exit (a line, or the end, on standard input), for tests
 * that look at the running process from outside.
 *
 * <p>With the argument {@code await-agent} it first waits until the agent's MXBean is registered
 * (the scanner thread has started and registered it), reads a report through it and lets the
 * agent flag a drained map, so that everything the agent starts is running. Without it, it does
 * the same map work and the same platform MBeanServer access, without waiting for the agent.
 * Prints {@code READY} when it is ready to be looked at.
 */
public final class IdleTarget {

    static Map<Integer, Integer> drained;

    private IdleTarget() {
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        drained = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            drained.put(i, i);
        }
        drained.clear();
        if (args.length > 0 && args[0].equals("await-agent")) {
            ObjectName bean = new ObjectName("dev.mapretention:type=MapRetention");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!server.isRegistered(bean) || (Long) server.getAttribute(bean, "OversizedMaps") == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the agent's MXBean did not show the drained map within 30 s");
                }
                Thread.sleep(10);
            }
            server.invoke(bean, "reportJson", null, null);
        }
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        System.out.println("BYE");
    }
}
