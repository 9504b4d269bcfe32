package dev.mapretention.cli;

/**
 * {@code attach PID [OPTIONS]}: loads this jar as an agent into a running JVM, with the options
 * passed as they are (commas and all) through the attach API. The options are checked here
 * first, alone and then with the target's {@code -Dmapretention.*} properties, so that a bad one
 * is reported to the user rather than only on the target's standard error.
 */
final class AttachCommand implements Command {

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
        String options = AgentLoader.readOptions(args);
        try (TargetJvm target = TargetJvm.attach(pid)) {
            String loaded = target.agentOptions();
            if (loaded != null) {
                console.out().println("map-retention is already loaded in " + pid + " (" + loaded
                        + "); nothing changed. To change its options, detach it and attach again.");
                return;
            }
            loaded = AgentLoader.load(target, pid, options, console);
            console.out().println("map-retention is now loaded in " + pid + " (" + loaded
                    + "); see its findings with: report " + pid);
        }
    }
}
