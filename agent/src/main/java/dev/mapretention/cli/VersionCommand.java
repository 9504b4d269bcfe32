package dev.mapretention.cli;

import dev.mapretention.agent.AgentVersion;

/**
 * {@code version} (also {@code --version}): the agent's version, from its jar's manifest, and the
 * Java that runs this command, which is the one whose attach API it uses.
 */
final class VersionCommand implements Command {

    @Override
    public String label() {
        return "version";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String description() {
        return "the agent's version, and the Java running this command";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException {
        args.end(null);
        console.out().println(AgentVersion.name());
        console.out().println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                + ") at " + System.getProperty("java.home"));
    }
}
