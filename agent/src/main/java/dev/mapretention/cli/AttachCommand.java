package dev.mapretention.cli;

import dev.mapretention.agent.AgentOptions;
import dev.mapretention.agent.AgentRuntime;
import dev.mapretention.agent.instrument.BootClasses;

import java.time.Duration;
import java.util.Properties;

/**
 * {@code attach PID [OPTIONS]}: loads this jar as an agent into a running JVM, with the options
 * passed as they are (commas and all) through the attach API. The options are checked here
 * first, alone and then with the target's {@code -Dmapretention.*} properties, so that a bad one
 * is reported to the user rather than only on the target's standard error.
 */
final class AttachCommand implements Command {

    /** How long the agent's MXBean may take to appear after the agent started. */
    static final Duration BEAN_LIMIT = Duration.ofSeconds(20);

    @Override
    public String label() {
        return "attach";
    }

    @Override
    public String synopsis() {
        return "PID [OPTIONS]";
    }

    @Override
    public String description() {
        return "load the agent into a running JVM (OPTIONS: key=value pairs joined by commas)";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException, CommandFailedException {
        long pid = args.pid();
        String options = args.optional();
        args.end("give the options as one argument, key=value pairs joined by commas: grace=30s,scanInterval=5s");
        if (options != null && options.isBlank()) {
            options = null;
        }
        try {
            AgentOptions.parse(options, new Properties());
        } catch (AgentOptions.OptionException e) {
            throw new UsageException(e.getMessage());
        }
        try (TargetJvm target = TargetJvm.attach(pid)) {
            Properties properties = target.systemProperties();
            String loaded = properties.getProperty(AgentRuntime.LOADED_PROPERTY);
            if (loaded != null) {
                console.out().println("map-retention is already loaded in " + pid + " (" + loaded
                        + "); nothing changed. To change its options, detach it and attach again.");
                return;
            }
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
            loaded = target.agentOptions();
            if (loaded == null) {
                throw new CommandFailedException("the agent did not start in " + pid
                        + ": the reason is on that JVM's standard error, in a line starting [map-retention]");
            }
            if (!target.awaitBean(BEAN_LIMIT)) {
                throw new CommandFailedException("the agent started in " + pid + " but its MXBean did not appear within "
                        + BEAN_LIMIT.toSeconds() + " s: see that JVM's standard error");
            }
            console.out().println("map-retention is now loaded in " + pid + " (" + loaded
                    + "); see its findings with: report " + pid);
        }
    }
}
