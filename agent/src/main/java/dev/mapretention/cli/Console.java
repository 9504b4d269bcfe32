package dev.mapretention.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a command runs with: where it writes, and the agent jar it loads into other JVMs.
 *
 * @param out      normal output
 * @param err      errors, one line each
 * @param agentJar the agent jar, or null when this command does not run from one
 */
record Console(PrintStream out, PrintStream err, Path agentJar) {

    /** The agent jar to load; fails when this command was not started from it. */
    Path requireAgentJar() throws CommandFailedException {
        if (agentJar == null) {
            throw new CommandFailedException("cannot find the agent jar this command runs from:"
                    + " run it as java -jar map-retention-agent.jar");
        }
        return agentJar;
    }
}
