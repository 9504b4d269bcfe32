package dev.mapretention.cli;

import dev.mapretention.agent.AgentOptions;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;

/**
 * The command line: {@code java -jar map-retention-agent.jar COMMAND ...}. It picks the
 * {@link Command}, runs it and turns the outcome into the exit status: 0 done, 1 the command
 * failed, 2 a usage error (with the usage on standard error). An error is one line on standard
 * error, never a stack trace.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String PREFIX = "map-retention: ";

    private static final List<Command> COMMANDS = List.of(
            new ListCommand(), new AttachCommand(), new ReportCommand(), new CensusCommand(), new DetachCommand(),
            new VersionCommand(), new HelpCommand());

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, ownJar());
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one command line and returns its exit status; never exits the JVM.
     *
     * @param agentJar the agent jar that {@code attach} loads, or null when there is none
     */
    static int run(String[] args, PrintStream out, PrintStream err, Path agentJar) {
        if (args.length == 0) {
            err.println(PREFIX + "no command given");
            usage(err);
            return USAGE;
        }
        String label = args[0].equals("-h") || args[0].equals("--help") ? "help"
                : args[0].equals("--version") ? "version" : args[0];
        Command command = COMMANDS.stream().filter(c -> c.label().equals(label)).findFirst().orElse(null);
        if (command == null) {
            err.println(PREFIX + "unknown command '" + args[0] + "'");
            usage(err);
            return USAGE;
        }
        try {
            command.run(new Arguments(command, Arrays.asList(args).subList(1, args.length)),
                    new Console(out, err, agentJar));
            return OK;
        } catch (UsageException e) {
            err.println(PREFIX + e.getMessage());
            usage(err);
            return USAGE;
        } catch (CommandFailedException e) {
            err.println(PREFIX + e.getMessage());
            return FAILED;
        } catch (NoClassDefFoundError e) {
            if (String.valueOf(e.getMessage()).contains("com/sun/tools/attach")) {
                err.println(PREFIX + "this needs the attach API (module jdk.attach): run it with a JDK's java");
            } else {
                err.println(PREFIX + "failed: " + e);
            }
            return FAILED;
        } catch (RuntimeException e) {
            err.println(PREFIX + label + " failed: " + TargetJvm.reason(e));
            return FAILED;
        }
    }

    /** The usage text. */
    static void usage(PrintStream to) {
        to.println("usage: java -jar map-retention-agent.jar COMMAND ...");
        to.println();
        int width = 0;
        for (Command c : COMMANDS) {
            width = Math.max(width, signature(c).length());
        }
        for (Command c : COMMANDS) {
            to.printf("  %-" + width + "s   %s%n", signature(c), c.description());
        }
        to.println();
        to.println("OPTIONS of attach, as after -javaagent:map-retention-agent.jar=: "
                + String.join(", ", AgentOptions.keys()));
        to.println("  for example: attach 4242 grace=30s,scanInterval=5s");
        to.println("exit status: 0 done, 1 failed (no such JVM, agent not loaded, ...), 2 usage error");
    }

    private static String signature(Command c) {
        return c.synopsis().isEmpty() ? c.label() : c.label() + " " + c.synopsis();
    }

    /** The jar this class was loaded from, or null when it was not loaded from a jar. */
    private static Path ownJar() {
        try {
            CodeSource source = Main.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path.toAbsolutePath() : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
