package dev.mapretention.cli;

/** The command line is wrong: exit status 2, this message and the usage on standard error. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
