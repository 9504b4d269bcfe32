package dev.mapretention.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a main class of this jar in a fresh JVM of the JDK running this class, with or without
 * the agent, and collects what it printed. Output goes to files, not pipes, so that no reader
 * thread competes with the child while it is being timed.
 */
public final class ChildJvm {

    private final List<String> jvmArgs = new ArrayList<>();
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private long timeoutSeconds = 600;

    private ChildJvm(String mainClass) {
        this.mainClass = mainClass;
    }

    public static ChildJvm of(Class<?> mainClass) {
        return new ChildJvm(mainClass.getName());
    }

    public ChildJvm jvmArgs(String... values) {
        jvmArgs.addAll(List.of(values));
        return this;
    }

    /** Adds {@code -javaagent:JAR} (and {@code =OPTIONS} unless {@code options} is null). */
    public ChildJvm agent(Path agentJar, String options) {
        jvmArgs.add("-javaagent:" + agentJar.toAbsolutePath() + (options == null ? "" : "=" + options));
        return this;
    }

    public ChildJvm args(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public ChildJvm timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Runs the JVM to its end. Fails when it did not exit with status 0 in time. */
    public Finished run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path out = Files.createTempFile("map-retention-bench-", ".out");
        Path err = Files.createTempFile("map-retention-bench-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            long startNanos = System.nanoTime();
            Process process = builder.start();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            long endNanos = System.nanoTime();
            if (!ended) {
                process.destroyForcibly();
                throw new IllegalStateException("child JVM did not end within " + timeoutSeconds + " s: " + command);
            }
            Finished finished = new Finished(Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), startNanos, endNanos);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("child JVM exited with " + process.exitValue() + ": " + command
                        + "\nstdout:\n" + finished.stdout + "\nstderr:\n" + finished.stderr);
            }
            return finished;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What a child JVM printed, and when it was started and seen to end ({@code System.nanoTime()}). */
    public static final class Finished {
        public final String stdout;
        public final String stderr;
        public final long startNanos;
        public final long endNanos;

        Finished(String stdout, String stderr, long startNanos, long endNanos) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.startNanos = startNanos;
            this.endNanos = endNanos;
        }

        /** The value of a {@code key=value} line on standard output; fails when there is none. */
        public String value(String key) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=(.*)$").matcher(stdout);
            if (!m.find()) {
                throw new IllegalStateException("child printed no " + key + "=...; stdout:\n" + stdout
                        + "\nstderr:\n" + stderr);
            }
            return m.group(1).trim();
        }

        public long longValue(String key) {
            return Long.parseLong(value(key));
        }
    }
}
