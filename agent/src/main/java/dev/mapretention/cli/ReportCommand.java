package dev.mapretention.cli;

/** {@code report PID [--json]}: the report of the agent in a running JVM, read from its MXBean. */
final class ReportCommand implements Command {

    @Override
    public String label() {
        return "report";
    }

    @Override
    public String synopsis() {
        return "PID [--json]";
    }

    @Override
    public String description() {
        return "that JVM's report: a readable table, or the JSON report";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException, CommandFailedException {
        boolean json = args.flag("--json");
        long pid = args.pid();
        args.end(null);
        try (TargetJvm target = LoadedAgent.connect(pid)) {
            console.out().print(target.invoke(json ? "reportJson" : "reportText"));
        }
    }
}
