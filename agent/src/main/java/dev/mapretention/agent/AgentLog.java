package dev.mapretention.agent;

import java.io.PrintStream;

/**
 * What the agent writes to standard error: one line per message, prefixed {@code [map-retention]}.
 *
 * <p>Deliberately not {@code System.Logger}: in a premain that would initialise
 * {@code java.util.logging} before the application's {@code main} can install its own log
 * manager (JBoss LogManager and others must be first), and the contract's {@code log} option
 * is about standard error in any case.
 */
public final class AgentLog {

    private static final String PREFIX = "[map-retention] ";

    private final AgentOptions.LogLevel level;
    private final PrintStream err;

    AgentLog(AgentOptions.LogLevel level, PrintStream err) {
        this.level = level;
        this.err = err;
    }

    /** Always written, whatever the level: the agent could not do what it was asked. */
    static void error(PrintStream err, String message) {
        err.println(PREFIX + message);
    }

    public void error(String message) {
        error(err, message);
    }

    public void info(String message) {
        if (level != AgentOptions.LogLevel.QUIET) {
            err.println(PREFIX + message);
        }
    }

    public void debug(String message) {
        if (level == AgentOptions.LogLevel.DEBUG) {
            err.println(PREFIX + message);
        }
    }

    public boolean isDebug() {
        return level == AgentOptions.LogLevel.DEBUG;
    }
}
