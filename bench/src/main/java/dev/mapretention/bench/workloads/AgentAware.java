package dev.mapretention.bench.workloads;

import dev.mapretention.bench.AgentBean;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /**
     * With {@code on}, a no-agent fork starts the platform MBeanServer and registers an MXBean at
     * set-up, as the agent does (and as the agent forks' own check here makes it do early). The
     * runner's {@code --baseline jmx} sets it, to tell what JMX's start costs a fresh JVM from
     * what tracking costs.
     */
    public static final String BASELINE_JMX_PROPERTY = "bench.baselineJmx";

    private static final String TRACKER_CLASS = "dev.mapretention.agent.boot.MapTracker";

    @Setup(Level.Trial)
    public void checkAgent() throws Exception {
        String expected = System.getProperty(AGENT_PROPERTY, "off");
        if (expected.equals("on")) {
            new AgentBean().awaitRegistered(20);
        } else if (trackerLoaded()) {
            throw new IllegalStateException("-D" + AGENT_PROPERTY + "=off but the agent's tracker is on the"
                    + " boot class path: this fork is not a no-agent baseline");
        } else if (System.getProperty(BASELINE_JMX_PROPERTY, "off").equals("on")) {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("dev.mapretention.bench:type=Baseline");
            if (!server.isRegistered(name)) {
                server.registerMBean(new Baseline(), name);
            }
            server.getAttribute(name, "Forks");
        }
    }

    @TearDown(Level.Trial)
    public void writeAgentHealth() throws Exception {
        String file = System.getProperty(HEALTH_FILE_PROPERTY);
        if (file != null && System.getProperty(AGENT_PROPERTY, "off").equals("on")) {
            Files.writeString(Path.of(file), AgentBean.health(new AgentBean().reportJson()));
        }
    }

    private static boolean trackerLoaded() {
        try {
            Class.forName(TRACKER_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The no-agent forks' stand-in MXBean for {@link #BASELINE_JMX_PROPERTY}. */
    public interface BaselineMXBean {
        long getForks();
    }

    static final class Baseline implements BaselineMXBean {
        @Override
        public long getForks() {
            return 1;
        }
    }
}
