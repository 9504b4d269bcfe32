package dev.mapretention.cli;

import java.time.Duration;

/** Reaching the agent in a JVM where it must already run, as {@code report} and {@code detach} need. */
final class LoadedAgent {

    /** How long a bean may still be on its way just after the agent started. */
    private static final Duration BEAN_LIMIT = Duration.ofSeconds(5);

    private LoadedAgent() {
    }

    /** Waits (briefly) for the MXBean of an agent that runs in the target. */
    static void awaitBean(TargetJvm target, long pid) throws CommandFailedException {
        if (!target.awaitBean(BEAN_LIMIT)) {
            throw new CommandFailedException("the agent runs in " + pid + " but its MXBean is not registered"
                    + " (another bean has its name, or JMX failed): see that JVM's standard error");
        }
    }

    /** Attaches to the JVM and checks that the agent runs there and its MXBean is registered. */
    static TargetJvm connect(long pid) throws CommandFailedException {
        TargetJvm target = TargetJvm.attach(pid);
        try {
            if (target.agentOptions() == null) {
                throw new CommandFailedException("the agent is not loaded in " + pid
                        + ": load it with: java -jar map-retention-agent.jar attach " + pid);
            }
            awaitBean(target, pid);
            return target;
        } catch (CommandFailedException | RuntimeException e) {
            target.close();
            throw e;
        }
    }
}
