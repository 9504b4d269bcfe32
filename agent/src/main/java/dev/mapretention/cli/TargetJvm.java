package dev.mapretention.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.mapretention.agent.AgentRuntime;
import dev.mapretention.agent.jmx.MapRetentionMXBean;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.IntFunction;

/**
 * A running JVM on this machine, reached over the JDK's attach API; the agent's MXBean in it is
 * reached over that JVM's own local JMX connector (the one JConsole uses for local processes,
 * which accepts local connections only). Every failure is a {@link CommandFailedException} whose
 * message names the process and says why.
 */
final class TargetJvm implements AutoCloseable {

    /** SIGQUIT (3) in the signal masks of {@code /proc/PID/status}. */
    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    private static final ObjectName BEAN = beanName();

    private final long pid;
    private final VirtualMachine vm;
    private JMXConnector connector;

    private TargetJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** Attaches to the JVM with this pid, after checking that it is one that may be attached to. */
    static TargetJvm attach(long pid) throws CommandFailedException {
        ProcessHandle process = checkAttachable(pid);
        try {
            return new TargetJvm(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CommandFailedException("cannot attach to " + pid + ": " + reason(e) + otherUserHint(process));
        }
    }

    /** Attaches to a JVM that the attach API has just listed. */
    static TargetJvm attach(VirtualMachineDescriptor listed) throws CommandFailedException {
        long pid = Long.parseLong(listed.id());
        try {
            return new TargetJvm(pid, VirtualMachine.attach(listed));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CommandFailedException("cannot attach to " + pid + ": " + reason(e)
                    + ProcessHandle.of(pid).map(TargetJvm::otherUserHint).orElse(""));
        }
    }

    /** The attachable JVMs that the attach API lists, with their command lines. */
    static List<VirtualMachineDescriptor> listed() {
        return VirtualMachine.list();
    }

    /**
     * Refuses what the attach API must not be pointed at. To start a JVM's attach listener the
     * API sends the process SIGQUIT; JDK 17's API sends it to any pid, and a process that does
     * not handle SIGQUIT dies of it. So a process is attached to only when the attach API lists
     * it as a JVM, or when it handles SIGQUIT (as a JVM started with {@code -XX:-UsePerfData}
     * does, which the list cannot show).
     */
    private static ProcessHandle checkAttachable(long pid) throws CommandFailedException {
        if (pid == ProcessHandle.current().pid()) {
            throw new CommandFailedException("cannot attach to " + pid + ": that is this command's own JVM");
        }
        Optional<ProcessHandle> found = ProcessHandle.of(pid);
        if (found.isEmpty() || !found.get().isAlive()) {
            throw new CommandFailedException("no process with pid " + pid);
        }
        ProcessHandle process = found.get();
        String id = Long.toString(pid);
        for (VirtualMachineDescriptor listed : listed()) {
            if (listed.id().equals(id)) {
                return process;
            }
        }
        if (handlesSigquit(pid)) {
            return process;
        }
        throw new CommandFailedException("process " + pid + " (" + process.info().command().orElse("command unknown")
                + ") is not a JVM this user can attach to" + otherUserHint(process));
    }

    /** True when {@code /proc/PID/status} says the process catches SIGQUIT; false when it does not or cannot be read. */
    private static boolean handlesSigquit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigCgt:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & SIGQUIT_BIT) != 0;
                }
            }
        } catch (IOException | RuntimeException notLinuxOrGone) {
            // Without /proc nothing says that signalling it is safe.
        }
        return false;
    }

    private static String otherUserHint(ProcessHandle process) {
        Optional<String> owner = process.info().user();
        String me = System.getProperty("user.name");
        if (owner.isPresent() && me != null && !owner.get().equals(me)) {
            return " (it runs as user " + owner.get() + ", this command as " + me + ": run it as " + owner.get() + ")";
        }
        return "";
    }

    long pid() {
        return pid;
    }

    /** The target's system properties. */
    Properties systemProperties() throws CommandFailedException {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new CommandFailedException("cannot read the system properties of " + pid + ": " + reason(e));
        }
    }

    /** The options the agent runs with in the target, or null when it is not loaded there. */
    String agentOptions() throws CommandFailedException {
        return systemProperties().getProperty(AgentRuntime.LOADED_PROPERTY);
    }

    /** Loads the agent jar into the target; its {@code agentmain} has returned when this does. */
    void loadAgent(Path jar, String options) throws CommandFailedException {
        try {
            vm.loadAgent(jar.toString(), options);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new CommandFailedException("cannot load the agent into " + pid + ": " + reason(e));
        }
    }

    // ---- heap census (issue 11): kept apart for the merge ----

    /**
     * Loads a JVMTI agent library into the target; its {@code Agent_OnAttach} has returned when
     * this does. {@code refused} turns a non-zero answer of it into the message.
     */
    void loadAgentLibrary(Path library, IntFunction<String> refused) throws CommandFailedException {
        try {
            vm.loadAgentPath(library.toString(), null);
        } catch (AgentInitializationException e) {
            throw new CommandFailedException(refused.apply(e.returnValue()));
        } catch (AgentLoadException | IOException e) {
            throw new CommandFailedException("cannot load the census library into " + pid + ": " + reason(e));
        }
    }
    // ---- end heap census ----

    /** Waits until the agent's MXBean is registered in the target; false when it is not within the limit. */
    boolean awaitBean(Duration limit) throws CommandFailedException {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            MBeanServerConnection server = jmx();
            while (!server.isRegistered(BEAN)) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(100);
            }
            return true;
        } catch (IOException e) {
            throw new CommandFailedException("lost the JMX connection to " + pid + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while waiting for the agent in " + pid);
        }
    }

    /** Calls an operation without arguments of the agent's MXBean and returns its String result. */
    String invoke(String operation) throws CommandFailedException {
        return (String) call(operation);
    }

    /** Calls an operation without arguments of the agent's MXBean and returns its result (open data). */
    Object call(String operation) throws CommandFailedException {
        try {
            return jmx().invoke(BEAN, operation, new Object[0], new String[0]);
        } catch (JMException | IOException | RuntimeException e) {
            throw new CommandFailedException(operation + " failed in " + pid + ": " + reason(e));
        }
    }

    private MBeanServerConnection jmx() throws CommandFailedException {
        if (connector == null) {
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } catch (IOException e) {
                throw new CommandFailedException("cannot start the local JMX connector in " + pid + ": " + reason(e));
            }
            try {
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            } catch (IOException e) {
                throw new CommandFailedException("cannot connect to " + pid + " over JMX: " + reason(e));
            }
        }
        try {
            return connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw new CommandFailedException("lost the JMX connection to " + pid + ": " + reason(e));
        }
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the target may have gone; nothing to release on this side
            }
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // same
        }
    }

    /** The most specific message of a failure and its causes, on one line. */
    static String reason(Throwable failure) {
        Throwable t = failure;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return (message == null ? failure.getClass().getSimpleName() : message).replaceAll("\\s*\\R\\s*", " ");
    }

    private static ObjectName beanName() {
        try {
            return new ObjectName(MapRetentionMXBean.OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }
}
