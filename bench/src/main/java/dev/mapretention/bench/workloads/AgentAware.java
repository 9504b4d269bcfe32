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
 * with {@code -Dbench.agent=on} the agent must be running, with
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
     * With {@code on}, every fork, with the agent or without, starts the platform MBeanServer and
     * registers an MXBean at set-up, as a service that uses JMX does (the agent then registers its
     * own MXBean there as well). The runner's {@code --baseline jmx} sets it: the agent's cost in
     * a JVM where JMX runs, which the agent itself never starts.
     */
    public static final String BASELINE_JMX_PROPERTY = "bench.baselineJmx";

    private static final String TRACKER_CLASS = "dev.mapretention.agent.boot.MapTracker";

    /** Set by the agent while it runs (its {@code AgentRuntime.LOADED_PROPERTY}). */
    private static final String AGENT_LOADED_PROPERTY = "dev.mapretention.agent.loaded";

    @Setup(Level.Trial)
    public void checkAgent() throws Exception {
        String expected = System.getProperty(AGENT_PROPERTY, "off");
        if (expected.equals("on")) {
            // Not through JMX: the agent does not start the platform MBeanServer, and a fork
            // that started it here would time JMX's work on HashMap's fresh profile, which an
            // application without JMX never pays. The agent sets this property once it runs.
            if (System.getProperty(AGENT_LOADED_PROPERTY) == null) {
                throw new IllegalStateException("-D" + AGENT_PROPERTY + "=on but the agent is not running"
                        + " (no " + AGENT_LOADED_PROPERTY + " property): see the fork's output");
            }
        } else if (trackerLoaded()) {
            throw new IllegalStateException("-D" + AGENT_PROPERTY + "=off but the agent's tracker is on the"
                    + " boot class path: this fork is not a no-agent baseline");
        }
        if (System.getProperty(BASELINE_JMX_PROPERTY, "off").equals("on")) {
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
            // After the measurement: starting JMX now (the agent registers its MXBean once it runs) costs nothing timed.
            AgentBean bean = new AgentBean();
            bean.awaitRegistered(20);
            Files.writeString(Path.of(file), AgentBean.health(bean.reportJson()));
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
