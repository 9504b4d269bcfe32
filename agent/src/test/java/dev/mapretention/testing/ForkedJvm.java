package dev.mapretention.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts a separate JVM, on Java 17 or Java 25, optionally with {@code -javaagent:} on the built
 * agent jar, and collects what it printed. The test classes (with the scenario programs of
 * {@code src/scenarios}) are its class path; the agent's own classes are not, so the forked JVM
 * sees exactly what a user's would: the shaded jar. It runs in the {@link Scratch} directory, with
 * that as its {@code java.io.tmpdir}, so that whatever it leaves behind is seen there.
 */
public final class ForkedJvm {

    /**
     * The JDKs every forked test runs on: those that {@code -Dmapretention.jdks} selects (see
     * {@link #selected()}), as {@link JdkSource} passes them to a test.
     */
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
                throw new IllegalStateException("no Java " + feature + " at " + home + ": set " + variable
                        + ", or run the forked tests on the other JDK only with -D" + SELECTION_PROPERTY + "="
                        + (feature == 17 ? 25 : 17));
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

        /** The system property that selects the JDKs: {@code 17}, {@code 25} or {@code 17,25}. */
        public static final String SELECTION_PROPERTY = "mapretention.jdks";

        /**
         * The JDKs that {@value #SELECTION_PROPERTY} names (all of them when it is not set or
         * empty), in this enum's order; a deselected JDK is not run, a selected one that is
         * missing fails its tests in {@link #home()}.
         */
        public static List<Jdk> selected() {
            String names = System.getProperty(SELECTION_PROPERTY, "").trim();
            if (names.isEmpty()) {
                return List.of(values());
            }
            Set<Jdk> chosen = EnumSet.noneOf(Jdk.class);
            for (String name : names.split(",")) {
                chosen.add(byFeature(name.trim(), names));
            }
            return List.copyOf(chosen);
        }

        private static Jdk byFeature(String name, String all) {
            for (Jdk jdk : values()) {
                if (Integer.toString(jdk.feature).equals(name)) {
                    return jdk;
                }
            }
            throw new IllegalArgumentException("bad -D" + SELECTION_PROPERTY + "=" + all
                    + ": expected 17, 25 or 17,25 (the Java feature versions the forked tests run on)");
        }
    }

    private final Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private String agentOptions;
    private boolean withAgent;
    private Path otherAgentJar;
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

    /** Attaches another copy of the agent jar than the built one (a test's altered build, say). */
    public ForkedJvm agentJar(Path jar, String options) {
        this.otherAgentJar = jar.toAbsolutePath();
        return agent(options);
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
        command.add("-Djava.io.tmpdir=" + Scratch.dir());
        if (withAgent) {
            command.add("-javaagent:" + (otherAgentJar != null ? otherAgentJar : agentJar())
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

    /**
     * Starts the JVM; its output goes to files (read with {@link Running#stdout()}), which
     * {@link Running#close()} deletes.
     */
    public Running start() throws IOException {
        List<String> command = command();
        Path out = Scratch.newFile("forked-jvm", ".out");
        Path err = Scratch.newFile("forked-jvm", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Scratch.dir().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        try {
            return new Running(builder.start(), out, err, command);
        } catch (IOException e) {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            throw e;
        }
    }

    /** Runs the JVM to its end (or stops it at the timeout) and returns what it printed. */
    public Result run() throws IOException, InterruptedException {
        try (Running running = start()) {
            return running.await(timeout);
        }
    }

    /**
     * Ends a JVM that is still running: SIGTERM first, so that it runs its shutdown hooks and
     * removes its files in /tmp as it exits (see {@link #assertLeftNothingInTmp}); SIGKILL when it
     * has not ended within 10 s, and then those files are removed here.
     */
    public static void stop(Process process) throws InterruptedException, IOException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (process.waitFor(10, TimeUnit.SECONDS)) {
            assertLeftNothingInTmp(process);
            return;
        }
        process.destroyForcibly();
        if (process.waitFor(10, TimeUnit.SECONDS)) {
            for (Path file : tmpFilesOf(process.pid())) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Fails when a JVM that has ended left in /tmp what a JVM removes as it exits: its attach
     * socket ({@code .java_pidPID}, there once anything attached to it) and its perf data file
     * ({@code hsperfdata_USER/PID}). Only this process's own files are looked at, right after it
     * ended, so other JVMs on the machine cannot make it fail. What it finds is removed.
     */
    public static void assertLeftNothingInTmp(Process ended) throws IOException {
        List<String> left = new ArrayList<>();
        for (Path file : tmpFilesOf(ended.pid())) {
            if (Files.deleteIfExists(file)) {
                left.add(file.toString());
            }
        }
        if (!left.isEmpty()) {
            throw new AssertionError("JVM " + ended.pid() + " ended (exit " + ended.exitValue() + ") but left "
                    + String.join(" and ", left) + " behind (now removed)");
        }
    }

    private static List<Path> tmpFilesOf(long pid) {
        Path tmp = Path.of("/tmp");
        return List.of(tmp.resolve(".java_pid" + pid),
                tmp.resolve("hsperfdata_" + System.getProperty("user.name")).resolve(Long.toString(pid)));
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
                stop(process);
                throw new AssertionError("JVM did not end within " + limit + "\n" + describe());
            }
            assertLeftNothingInTmp(process);
            return new Result(process.exitValue(), stdout(), stderr(), command);
        }

        /** The command and what it printed, for failure messages. */
        public String describe() throws IOException {
            return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout()
                    + "\n--- stderr ---\n" + stderr();
        }

        /** Stops the JVM if it still runs (see {@link ForkedJvm#stop}) and deletes its output files. */
        @Override
        public void close() throws IOException {
            try {
                stop(process);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
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
