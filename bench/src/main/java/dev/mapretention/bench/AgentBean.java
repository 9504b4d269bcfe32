package dev.mapretention.bench;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as a benchmarked JVM sees it from inside: its MXBean on the platform MBeanServer
 * (by name, with open types only, so no agent class is needed here).
 */
public final class AgentBean {

    /** The agent's MXBean, as the contract names it. */
    public static final String NAME = "dev.mapretention:type=MapRetention";

    private static final Pattern HEALTH = Pattern.compile("\"agent\": \\{[^}]*}");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName name;

    public AgentBean() throws JMException {
        this.name = new ObjectName(NAME);
    }

    public boolean isRegistered() {
        return server.isRegistered(name);
    }

    /**
     * Waits for the agent's scanner thread to register the MXBean, which it does just after premain.
     *
     * @throws IllegalStateException when it does not appear in time
     */
    public void awaitRegistered(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!isRegistered()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent's MXBean " + NAME + " did not appear within "
                        + timeoutSeconds + " s: is -javaagent on the command line?");
            }
            Thread.sleep(20);
        }
    }

    /** {@code reportJson()}, through the MBeanServer as any JMX client calls it. */
    public String reportJson() throws JMException {
        return (String) server.invoke(name, "reportJson", null, null);
    }

    /** The report's {@code "agent": {...}} object: maps tracked and refused, sites, failures. */
    public static String health(String json) {
        Matcher m = HEALTH.matcher(json);
        return m.find() ? m.group() : "no agent health in the report";
    }

    /** The first whole number named {@code key} in a report (the summary's, for summary fields). */
    public static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in the report");
        }
        return Long.parseLong(m.group(1));
    }
}
