package dev.mapretention.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments after a command's name, taken in order. Whatever the command does not take is a
 * usage error naming it.
 */
final class Arguments {

    private final Command command;
    private final List<String> remaining;

    Arguments(Command command, List<String> args) {
        this.command = command;
        this.remaining = new ArrayList<>(args);
    }

    /** Removes the flag (such as {@code --json}) wherever it is; true when it was given. */
    boolean flag(String name) {
        return remaining.remove(name);
    }

    /** The process id, which must come next. */
    long pid() throws UsageException {
        if (remaining.isEmpty() || remaining.get(0).startsWith("--")) {
            throw usage("needs the pid of a running JVM (see list)");
        }
        String text = remaining.remove(0);
        if (!text.matches("[0-9]{1,18}") || Long.parseLong(text) == 0) {
            throw usage("needs a process id, a positive whole number as list shows it; got '" + text + "'");
        }
        return Long.parseLong(text);
    }

    /** The next argument, or null when there is none. */
    String optional() throws UsageException {
        if (remaining.isEmpty()) {
            return null;
        }
        if (remaining.get(0).startsWith("--")) {
            throw usage("does not know '" + remaining.get(0) + "'");
        }
        return remaining.remove(0);
    }

    /** Fails when anything is left over. */
    void end(String hint) throws UsageException {
        if (!remaining.isEmpty()) {
            String first = remaining.get(0);
            throw usage(first.startsWith("--") ? "does not know '" + first + "'"
                    : "does not take '" + first + "'" + (hint == null ? "" : ": " + hint));
        }
    }

    /** A usage error about this command: "attach PID [OPTIONS]: needs ...". */
    UsageException usage(String problem) {
        String synopsis = command.synopsis().isEmpty() ? "" : " " + command.synopsis();
        return new UsageException(command.label() + synopsis + ": " + problem);
    }
}
