package dev.mapretention.cli;

import javax.management.openmbean.CompositeData;

/**
 * {@code detach PID}: calls the agent MXBean's {@code detach()}, which retransforms the JDK's
 * map classes back to their original code, stops the scanner, drops every tracked entry and
 * unregisters the bean. It fails when any class could not be restored, naming it.
 */
final class DetachCommand implements Command {

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
        return "put the maps' original code back and stop tracking in that JVM";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException, CommandFailedException {
        long pid = args.pid();
        args.end(null);
        try (TargetJvm target = LoadedAgent.connect(pid)) {
            CompositeData outcome = (CompositeData) target.call("detach");
            String message = (String) outcome.get("message");
            String[] restored = (String[]) outcome.get("restored");
            String[] notRestored = (String[]) outcome.get("notRestored");
            if (notRestored.length > 0 || restored.length == 0) {
                throw new CommandFailedException(pid + ": " + message);
            }
            console.out().println("map-retention " + message.replace("detached:", "detached from " + pid + ":"));
        }
    }
}
