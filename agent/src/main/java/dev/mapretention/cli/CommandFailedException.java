package dev.mapretention.cli;

/** A command could not do what it was asked: exit status 1, this message as one line on standard error. */
final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
