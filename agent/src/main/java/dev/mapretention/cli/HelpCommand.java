package dev.mapretention.cli;

/** {@code help}: the usage, on standard output. */
final class HelpCommand implements Command {

    @Override
    public String label() {
        return "help";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String description() {
        return "this text";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException {
        args.end(null);
        Main.usage(console.out());
    }
}
