package dev.mapretention.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a separate JVM, on Java 17 or Java 25, optionally with {@code -javaagent:} on the built
 * agent jar, and collects what it printed. The test classes (with the scenario programs of
 * {@code src/scenarios}) are its class path; the agent's own classes are not, so the forked JVM
 * sees exactly what a user's would: the shaded jar.
 */
public final class ForkedJvm {

    /** The JDKs every forked test runs on. */
    public enum Jdk {
        JAVA17("JAVA17_HOME", "/usr/lib/jvm/java-17-openjdk-amd64", 17),
        JAVA25("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64", 25);

        private final String variable;
        private final String fallback;
        private final int feature;

        Jdk(String variable, String fallback, int feature) {
            this.variable = variable;
            this.fallback = fallback;
            this.feature = feature;
        }

        /** The JDK's home: the environment variable if set, else the default under /usr/lib/jvm. */
        public Path home() {
            String fromEnv = System.getenv(variable);
            Path home = Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback);
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw new IllegalStateException("no Java " + feature + " at " + home + ": set " + variable);
            }
            return home;
        }

        public Path java() {
            return home().resolve("bin/java");
        }

        public Path tool(String name) {
            return home().resolve("bin").resolve(name);
        }

        public int feature() {
            return feature;
        }
    }

    private final Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private String agentOptions;
    private boolean withAgent;
    private String mainClass;
    private Path executableJar;
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(2);

    private ForkedJvm(Jdk jdk) {
        this.jdk = jdk;
        classPath.add(testClasses().toString());
    }

    /** A JVM on this JDK, with the test classes on its class path and no agent yet. */
    public static ForkedJvm on(Jdk jdk) {
        return new ForkedJvm(jdk);
    }

    /** The built agent jar ({@code agent/target/map-retention-agent.jar}). */
    public static Path agentJar() {
        String configured = System.getProperty("agent.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target/map-retention-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not built: " + jar.toAbsolutePath()
                    + " (run mvn package first; failsafe runs after it)");
        }
        return jar.toAbsolutePath();
    }

    /** The compiled test classes, scenario programs included. */
    public static Path testClasses() {
        return Path.of("target/test-classes").toAbsolutePath();
    }

    /** A jar of the test class path whose file name starts with {@code prefix} (e.g. "guava-testlib-"). */
    public static Path dependencyJar(String prefix) {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : path.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jar")) {
                return p;
            }
        }
        throw new IllegalStateException("no " + prefix + "*.jar on the test class path");
    }

    /** Attaches the agent with {@code -javaagent:jar=options} (null or empty: no options). */
    public ForkedJvm agent(String options) {
        this.withAgent = true;
        this.agentOptions = options;
        return this;
    }

    public ForkedJvm jvmArgs(String... more) {
        jvmArgs.addAll(List.of(more));
        return this;
    }

    public ForkedJvm classPath(Path entry) {
        classPath.add(entry.toString());
        return this;
    }

    public ForkedJvm main(Class<?> main, String... arguments) {
        return main(main.getName(), arguments);
    }

    public ForkedJvm main(String main, String... arguments) {
        this.mainClass = main;
        args.addAll(List.of(arguments));
        return this;
    }

    /**
     * Runs {@code java -jar jar arguments} (an application's own runnable jar, such as a Spring
     * Boot fat jar) instead of a main class: the jar is then the whole class path.
     */
    public ForkedJvm jar(Path jar, String... arguments) {
        this.executableJar = jar;
        args.addAll(List.of(arguments));
        return this;
    }

    public ForkedJvm timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** The full command line. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        if (withAgent) {
            command.add("-javaagent:" + agentJar()
                    + (agentOptions == null || agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        command.addAll(jvmArgs);
        if (executableJar != null) {
            command.add("-jar");
            command.add(executableJar.toString());
        } else {
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classPath));
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    /** Starts the JVM; its output goes to files, read with {@link Running#stdout()}. */
    public Running start() throws IOException {
        Path out = Files.createTempFile("forked-jvm", ".out");
        Path err = Files.createTempFile("forked-jvm", ".err");
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        return new Running(builder.start(), out, err, command());
    }

    /** Runs the JVM to its end (or kills it at the timeout) and returns what it printed. */
    public Result run() throws IOException, InterruptedException {
        Running running = start();
        return running.await(timeout);
    }

    /** A JVM that is running. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;
        private final List<String> command;

        Running(Process process, Path out, Path err, List<String> command) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.command = command;
        }

        public long pid() {
            return process.pid();
        }

        public Process process() {
            return process;
        }

        public String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits until standard output contains {@code text}; fails with both outputs at the timeout. */
        public void awaitOutput(String text, Duration limit) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!stdout().contains(text)) {
                if (!process.isAlive() && !stdout().contains(text)) {
                    throw new AssertionError("JVM ended before printing '" + text + "'\n" + describe());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + text + "' within " + limit + "\n" + describe());
                }
                Thread.sleep(50);
            }
        }

        public Result await(Duration limit) throws IOException, InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("JVM did not end within " + limit + "\n" + describe());
            }
            return new Result(process.exitValue(), stdout(), stderr(), command);
        }

        /** The command and what it printed, for failure messages. */
        public String describe() throws IOException {
            return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout()
                    + "\n--- stderr ---\n" + stderr();
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What a finished JVM printed and its exit status. */
    public record Result(int exitCode, String stdout, String stderr, List<String> command) {

        /** Everything, for assertion messages. */
        public String describe() {
            return "exit " + exitCode + "\ncommand: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }

        /** The lines of standard error written by the agent ({@code [map-retention] ...}). */
        public List<String> agentLines() {
            List<String> lines = new ArrayList<>();
            for (String line : stderr.split("\\R")) {
                if (line.startsWith("[map-retention]")) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }
}
