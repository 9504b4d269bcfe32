package dev.mapretention.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One run of the command line inside the test's JVM, as {@code java -jar} would run it, but with
 * its exit status returned instead of exiting.
 */
record CliRun(int status, String out, String err, String command) {

    /** Runs {@code args}; {@code agentJar} is the jar {@code attach} loads (null when not needed). */
    static CliRun run(Path agentJar, Object... args) {
        String[] strings = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(strings, o, e, agentJar);
        }
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                String.join(" ", strings));
    }

    /** The first line on standard error. */
    String errorLine() {
        return err.lines().findFirst().orElse("");
    }

    String describe() {
        return "command: " + command + "\nexit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
