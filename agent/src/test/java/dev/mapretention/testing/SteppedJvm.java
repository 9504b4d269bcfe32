package dev.mapretention.testing;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A forked JVM driven one step at a time over its standard input, as
 * {@code dev.mapretention.scenarios.AttachTarget} is: it prints {@code READY pid} when it starts and
 * answers each command line with {@code COMMAND -> RESULT}. Each step waits for its own answer,
 * so a test never waits on a clock.
 */
public final class SteppedJvm implements AutoCloseable {

    private static final Duration STEP_LIMIT = Duration.ofSeconds(90);

    private final ForkedJvm.Running running;
    private final Writer stdin;

    private SteppedJvm(ForkedJvm.Running running) {
        this.running = running;
        this.stdin = new OutputStreamWriter(running.process().getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts the JVM and waits until it says it is ready. */
    public static SteppedJvm start(ForkedJvm jvm) throws IOException, InterruptedException {
        SteppedJvm stepped = new SteppedJvm(jvm.start());
        try {
            stepped.running.awaitOutput("READY " + stepped.pid(), STEP_LIMIT);
        } catch (AssertionError | IOException | InterruptedException e) {
            stepped.close();
            throw e;
        }
        return stepped;
    }

    public long pid() {
        return running.pid();
    }

    /** Sends one command and returns its answer (the text after {@code " -> "}). */
    public String step(String command) throws IOException, InterruptedException {
        String marker = command + " -> ";
        int before = count(running.stdout(), marker);
        stdin.write(command + "\n");
        stdin.flush();
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (true) {
            String out = running.stdout();
            int at = nth(out, marker, before);
            int end = at < 0 ? -1 : out.indexOf('\n', at);
            if (end >= 0) {
                return out.substring(at + marker.length(), end).strip();
            }
            if (!running.process().isAlive()) {
                throw new AssertionError("JVM ended before answering '" + command + "'\n" + running.describe());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no answer to '" + command + "' within " + STEP_LIMIT + "\n"
                        + running.describe());
            }
            Thread.sleep(20);
        }
    }

    /** Ends the JVM with {@code quit} and returns what it printed. */
    public ForkedJvm.Result quit() throws IOException, InterruptedException {
        step("quit");
        return running.await(STEP_LIMIT);
    }

    public String stdout() throws IOException {
        return running.stdout();
    }

    public String stderr() throws IOException {
        return running.stderr();
    }

    /** The command and everything it printed so far, for assertion messages. */
    public String describe() throws IOException {
        return running.describe();
    }

    private static int count(String text, String marker) {
        int n = 0;
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
            n++;
        }
        return n;
    }

    /** Where the marker occurs for the {@code index}-th time (0-based), or -1. */
    private static int nth(String text, String marker, int index) {
        int at = text.indexOf(marker);
        for (int i = 0; i < index && at >= 0; i++) {
            at = text.indexOf(marker, at + 1);
        }
        return at;
    }

    @Override
    public void close() throws IOException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the JVM has gone
        }
        running.close();
    }
}
