package dev.mapretention.cli;

/** One operation of the command line: its name, what it takes, what it does. */
interface Command {

    /** The word that selects it: {@code attach}. */
    String label();

    /** Its arguments as the usage shows them: {@code PID [OPTIONS]}. */
    String synopsis();

    /** One line: what it does. */
    String description();

    /**
     * Runs it. Normal output goes to {@code console.out()}.
     *
     * @throws UsageException         the arguments are wrong (exit status 2)
     * @throws CommandFailedException it could not be done (exit status 1)
     */
    void run(Arguments args, Console console) throws UsageException, CommandFailedException;
}
