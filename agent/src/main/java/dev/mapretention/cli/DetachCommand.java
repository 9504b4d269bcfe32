package dev.mapretention.cli;

/**
 * {@code detach PID}: calls the agent MXBean's {@code detach()}, which retransforms
 * java.util.HashMap back to its original code, stops the scanner, drops every tracked entry and
 * unregisters the bean.
 */
final class DetachCommand implements Command {

    private static final String RESTORED = "detached: java.util.HashMap restored";

    @Override
    public String label() {
        return "detach";
    }

    @Override
    public String synopsis() {
        return "PID";
    }

    @Override
    public String description() {
        return "put HashMap's original code back and stop tracking in that JVM";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException, CommandFailedException {
        long pid = args.pid();
        args.end(null);
        try (TargetJvm target = LoadedAgent.connect(pid)) {
            String result = target.invoke("detach");
            if (!result.startsWith(RESTORED)) {
                throw new CommandFailedException(pid + ": " + result);
            }
            console.out().println("map-retention " + result.replace("detached:", "detached from " + pid + ":"));
        }
    }
}
