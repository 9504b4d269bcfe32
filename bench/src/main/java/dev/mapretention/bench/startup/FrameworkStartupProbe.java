package dev.mapretention.bench.startup;

import dev.mapretention.bench.Stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The time the agent adds to a real framework application's start: the Spring Boot web service
 * of {@code integrations/spring-boot} (a fat jar, Tomcat on a free loopback port, Actuator,
 * Micrometer with the map-retention binder), started with {@code java -jar} on the JDK running
 * this class, until it logs {@code Started ...}, then stopped.
 *
 * <p>Three variants, alternated run by run (the order rotating every round) so that the load of
 * a shared machine falls on all alike: no agent; an agent that does nothing ({@link EmptyAgent}:
 * the floor every {@code -javaagent} pays); the map-retention agent with default options. The
 * added time is taken pairwise, each run minus the no-agent run of its round: as wall-clock time
 * from launch to the line, and as the process's CPU time (all its threads) when the line came.
 *
 * <p>With {@code --classes}, one more run of each variant with {@code -Xlog:class+load} counts
 * the classes loaded before the application said it started.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mapretention.bench.startup.FrameworkStartupProbe \
 *     --agent agent/target/map-retention-agent.jar \
 *     --app integrations/spring-boot/target/map-retention-spring-boot-example.jar [--runs 10] [--classes]
 * </pre>
 */
public final class FrameworkStartupProbe {

    /** The target: the agent adds at most this to the framework application's start. */
    static final double TARGET_MS = 40;

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds");
    private static final Pattern AGENT_STARTED = Pattern.compile("started in (\\d+) ms");
    private static final long LIMIT_SECONDS = 180;

    private FrameworkStartupProbe() {
    }

    /** One way to start the application. */
    private enum Variant {
        NONE("no agent"), EMPTY("empty agent"), AGENT("map-retention");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    public static void main(String[] args) throws Exception {
        Path agentJar = null;
        Path appJar = null;
        int runs = 10;
        boolean classes = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent": agentJar = Path.of(value(args, ++i)); break;
                case "--app": appJar = Path.of(value(args, ++i)); break;
                case "--runs": runs = Integer.parseInt(value(args, ++i)); break;
                case "--classes": classes = true; break;
                default: usage("unknown argument '" + args[i] + "'");
            }
        }
        if (agentJar == null || !Files.isRegularFile(agentJar)) {
            usage("--agent must name the built agent jar");
        }
        if (appJar == null || !Files.isRegularFile(appJar)) {
            usage("--app must name the Spring Boot example's fat jar (mvn -B -DskipTests package builds"
                    + " integrations/spring-boot/target/map-retention-spring-boot-example.jar)");
        }
        if (runs < 1) {
            usage("--runs takes a positive count");
        }
        Path emptyAgent = EmptyAgent.writeJar();
        try {
            new FrameworkStartupProbe.Run(agentJar, emptyAgent, appJar).measure(runs, classes);
        } finally {
            Files.deleteIfExists(emptyAgent);
        }
    }

    /** The probe's runs against one agent, empty agent and application. */
    private static final class Run {
        private final Path agentJar;
        private final Path emptyAgent;
        private final Path appJar;

        Run(Path agentJar, Path emptyAgent, Path appJar) {
            this.agentJar = agentJar;
            this.emptyAgent = emptyAgent;
            this.appJar = appJar;
        }

        void measure(int runs, boolean classes) throws Exception {
            Variant[] variants = Variant.values();
            // One untimed start of each: the jars and the JDK in the page cache for all.
            for (Variant v : variants) {
                start(v, false);
            }
            double[][] toStarted = new double[variants.length][runs];
            double[][] springSays = new double[variants.length][runs];
            double[][] cpuToStarted = new double[variants.length][runs];
            double[] agentSays = new double[runs];
            for (int round = 0; round < runs; round++) {
                for (int turn = 0; turn < variants.length; turn++) {
                    Variant v = variants[(round + turn) % variants.length];
                    Started s = start(v, false);
                    toStarted[v.ordinal()][round] = s.millis;
                    springSays[v.ordinal()][round] = s.springMillis;
                    cpuToStarted[v.ordinal()][round] = s.cpuMillis;
                    if (v == Variant.AGENT) {
                        agentSays[round] = s.agentMillis;
                    }
                }
            }
            String f = "%,.0f";
            System.out.printf(Locale.ROOT, "Framework start-up on Java %s (%s): %s, %d runs of each variant,"
                            + " rotating; ms from launch to its 'Started' line, median [p25 .. p75] (min, max)%n",
                    System.getProperty("java.version"), System.getProperty("java.vm.version"), appJar.getFileName(), runs);
            for (Variant v : variants) {
                System.out.printf(Locale.ROOT, "  %-15s launch to Started: %s; Spring's own 'in N s': %s%n", v.label,
                        new Stats(toStarted[v.ordinal()]).summary(f), new Stats(springSays[v.ordinal()]).summary(f));
            }
            Stats empty = new Stats(minus(toStarted[Variant.EMPTY.ordinal()], toStarted[Variant.NONE.ordinal()]));
            Stats agent = new Stats(minus(toStarted[Variant.AGENT.ordinal()], toStarted[Variant.NONE.ordinal()]));
            Stats overEmpty = new Stats(minus(toStarted[Variant.AGENT.ordinal()], toStarted[Variant.EMPTY.ordinal()]));
            System.out.printf(Locale.ROOT, "  added by an empty agent (paired):        %s%n", empty.summary(f));
            System.out.printf(Locale.ROOT, "  added by map-retention (paired):         %s%n", agent.summary(f));
            System.out.printf(Locale.ROOT, "  map-retention over the empty agent:      %s%n", overEmpty.summary(f));
            // CPU time (all the JVM's threads: the application's, the JIT's, the GC's) until the
            // line: what the agent's work costs, less exposed than the wall clock to how busy the
            // machine is at each start.
            for (Variant v : variants) {
                System.out.printf(Locale.ROOT, "  %-15s CPU time to Started: %s%n", v.label,
                        new Stats(cpuToStarted[v.ordinal()]).summary(f));
            }
            System.out.printf(Locale.ROOT, "  CPU added by an empty agent (paired):    %s%n",
                    new Stats(minus(cpuToStarted[Variant.EMPTY.ordinal()], cpuToStarted[Variant.NONE.ordinal()])).summary(f));
            System.out.printf(Locale.ROOT, "  CPU added by map-retention (paired):     %s%n",
                    new Stats(minus(cpuToStarted[Variant.AGENT.ordinal()], cpuToStarted[Variant.NONE.ordinal()])).summary(f));
            System.out.printf(Locale.ROOT, "  the agent's own 'started in N ms':       %s%n", new Stats(agentSays).summary(f));
            System.out.printf(Locale.ROOT, "  target: map-retention adds at most %.0f ms: %s%n", TARGET_MS,
                    agent.verdict(TARGET_MS));
            if (classes) {
                for (Variant v : variants) {
                    System.out.printf(Locale.ROOT, "  classes loaded before Started, %-15s %,d%n", v.label,
                            start(v, true).classesLoaded);
                }
            }
        }

        private Started start(Variant variant, boolean countClasses) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (variant == Variant.EMPTY) {
                command.add("-javaagent:" + emptyAgent.toAbsolutePath());
            } else if (variant == Variant.AGENT) {
                command.add("-javaagent:" + agentJar.toAbsolutePath());
            }
            if (countClasses) {
                command.add("-Xlog:class+load=info:stdout");
            }
            command.add("-jar");
            command.add(appJar.toAbsolutePath().toString());
            // A free port on the loopback interface: runs never collide with each other or anything else.
            command.add("--server.port=0");
            command.add("--server.address=127.0.0.1");
            // Tomcat's work directory, which it would otherwise leave in java.io.tmpdir at every start.
            Path tomcat = Files.createTempDirectory("map-retention-tomcat-");
            command.add("--server.tomcat.basedir=" + tomcat.toAbsolutePath());
            Path err = Files.createTempFile("map-retention-startup-", ".err");
            Process process = null;
            try {
                long launched = System.nanoTime();
                process = new ProcessBuilder(command).redirectError(err.toFile()).start();
                List<String> tail = new ArrayList<>();
                Started started = awaitStarted(process.getInputStream(), launched, tail);
                if (started == null) {
                    throw new IllegalStateException(variant.label + ": the application ended without saying it started"
                            + " (exit " + process.waitFor() + "): " + command + "\nits last output:\n"
                            + String.join("\n", tail) + "\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                started.cpuMillis = process.toHandle().info().totalCpuDuration()
                        .map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
                stop(process);
                if (variant == Variant.AGENT) {
                    Matcher m = AGENT_STARTED.matcher(Files.readString(err, StandardCharsets.UTF_8));
                    if (!m.find()) {
                        throw new IllegalStateException("the agent did not say it started:\n"
                                + Files.readString(err, StandardCharsets.UTF_8));
                    }
                    started.agentMillis = Double.parseDouble(m.group(1));
                }
                return started;
            } finally {
                if (process != null && process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(err);
                deleteTree(tomcat);
            }
        }
    }

    /** Best effort: a directory that cannot be deleted is named, and the probe goes on. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("framework-startup: could not delete " + root + ": " + e);
        }
    }

    /**
     * Reads the application's output until its 'Started' line; null when it ended first, and then
     * {@code tail} holds its last lines.
     */
    private static Started awaitStarted(InputStream out, long launchedNanos, List<String> tail) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
        int classes = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.contains("[class,load]")) {
                classes++;
                continue;
            }
            tail.add(line);
            if (tail.size() > 40) {
                tail.remove(0);
            }
            Matcher m = STARTED.matcher(line);
            if (m.find()) {
                Started s = new Started((System.nanoTime() - launchedNanos) / 1e6, Double.parseDouble(m.group(1)) * 1000);
                s.classesLoaded = classes;
                return s;
            }
        }
        return null;
    }

    /** Stops the application as a service manager would (SIGTERM), and waits for it. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One start: when the line came, what Spring and the agent said of themselves. */
    private static final class Started {
        final double millis;
        final double springMillis;
        double agentMillis;
        /** CPU time of the whole process when the line came; NaN where the OS does not tell. */
        double cpuMillis;
        int classesLoaded;

        Started(double millis, double springMillis) {
            this.millis = millis;
            this.springMillis = springMillis;
        }
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage("'" + args[i - 1] + "' needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("framework-startup: " + problem);
        System.err.println("usage: FrameworkStartupProbe --agent JAR --app JAR [--runs N] [--classes]");
        System.exit(2);
    }
}
