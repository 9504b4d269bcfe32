package dev.mapretention.bench.workloads;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import javax.management.MBeanServer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base of every benchmark state. It makes sure that each fork runs as the runner asked:
 * with {@code -Dbench.agent=on} the agent must be running (its MXBean registered), with
 * {@code -Dbench.agent=off} its tracker must not be loaded at all. A fork that would time the
 * wrong thing fails instead. After the trial an agent fork writes the agent's health (maps
 * tracked, refused, failures) to the file named by {@code -Dbench.healthFile}, as evidence of
 * what the agent did meanwhile.
 */
public abstract class AgentAware {

    /** The system property the runner sets in every fork: {@code on} or {@code off}. */
    public static final String AGENT_PROPERTY = "bench.agent";

    /** The system property naming the file that receives the agent's health after the trial. */
    public static final String HEALTH_FILE_PROPERTY = "bench.healthFile";

    private static final String MXBEAN = "dev.mapretention:type=MapRetention";
    private static final String TRACKER_CLASS = "dev.mapretention.agent.boot.MapTracker";
    private static final Pattern HEALTH = Pattern.compile("\"agent\": \\{[^}]*}");

    @Setup(Level.Trial)
    public void checkAgent() throws Exception {
        String expected = System.getProperty(AGENT_PROPERTY, "off");
        if (expected.equals("on")) {
            // The agent registers its MXBean on its scanner thread, just after premain.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!platformServer().isRegistered(new ObjectName(MXBEAN))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("-D" + AGENT_PROPERTY + "=on but the agent's MXBean " + MXBEAN
                            + " did not appear within 20 s: is -javaagent on the fork's command line?");
                }
                Thread.sleep(20);
            }
        } else if (trackerLoaded()) {
            throw new IllegalStateException("-D" + AGENT_PROPERTY + "=off but the agent's tracker is on the"
                    + " boot class path: this fork is not a no-agent baseline");
        }
    }

    @TearDown(Level.Trial)
    public void writeAgentHealth() throws Exception {
        String file = System.getProperty(HEALTH_FILE_PROPERTY);
        if (file != null && System.getProperty(AGENT_PROPERTY, "off").equals("on")) {
            String json = (String) platformServer().invoke(new ObjectName(MXBEAN), "reportJson", null, null);
            Matcher health = HEALTH.matcher(json);
            Files.writeString(Path.of(file), health.find() ? health.group() : "no agent health in the report");
        }
    }

    private static MBeanServer platformServer() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private static boolean trackerLoaded() {
        try {
            Class.forName(TRACKER_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
