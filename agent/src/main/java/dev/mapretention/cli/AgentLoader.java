package dev.mapretention.cli;

import dev.mapretention.agent.AgentOptions;
import dev.mapretention.agent.instrument.BootClasses;

import java.time.Duration;
import java.util.Properties;

/** Loading this jar as the agent into a running JVM where it does not run yet: for attach and census. */
final class AgentLoader {

    /** How long the agent's MXBean may take to appear after the agent started. */
    static final Duration BEAN_LIMIT = Duration.ofSeconds(20);

    private AgentLoader() {
    }

    /**
     * The OPTIONS argument of attach and census, the last one: null when absent or blank; a usage
     * error when there are more arguments, or when the options would not parse anywhere.
     */
    static String readOptions(Arguments args) throws UsageException {
        String options = args.optional();
        args.end("give the options as one argument, key=value pairs joined by commas: grace=30s,scanInterval=5s");
        if (options == null || options.isBlank()) {
            return null;
        }
        try {
            AgentOptions.parse(options, new Properties());
        } catch (AgentOptions.OptionException e) {
            throw new UsageException(e.getMessage());
        }
        return options;
    }

    /**
     * Loads the agent with these options (checked first with the target's own
     * {@code -Dmapretention.*} properties, so that a bad one is said here) and waits for its
     * MXBean; returns the options it runs with.
     */
    static String load(TargetJvm target, long pid, String options, Console console) throws CommandFailedException {
        Properties properties = target.systemProperties();
        // A JVM keeps the first agent jar's classes after a detach: another build would run mixed.
        String build = properties.getProperty(BootClasses.BUILD_PROPERTY);
        if (build != null && !build.equals(BootClasses.BUILD)) {
            throw new CommandFailedException("map-retention " + build + " ran in " + pid
                    + " before (detached since), and this is " + BootClasses.BUILD
                    + ": a JVM keeps the first agent's classes, so attach that build's jar again, or restart it");
        }
        try {
            AgentOptions.parse(options, properties);
        } catch (AgentOptions.OptionException e) {
            throw new CommandFailedException("the agent would not start in " + pid
                    + " (with its -D" + AgentOptions.PROPERTY_PREFIX + "* properties): " + e.getMessage());
        }
        target.loadAgent(console.requireAgentJar(), options);
        String loaded = target.agentOptions();
        if (loaded == null) {
            throw new CommandFailedException("the agent did not start in " + pid
                    + ": the reason is on that JVM's standard error, in a line starting [map-retention]");
        }
        if (!target.awaitBean(BEAN_LIMIT)) {
            throw new CommandFailedException("the agent started in " + pid + " but its MXBean did not appear within "
                    + BEAN_LIMIT.toSeconds() + " s: see that JVM's standard error");
        }
        return loaded;
    }
}
