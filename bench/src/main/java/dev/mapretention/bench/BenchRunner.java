package dev.mapretention.bench;

import dev.mapretention.bench.startup.EmptyAgent;
import dev.mapretention.bench.workloads.AgentAware;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs every {@link Workload} with and without the agent, on the JDK that runs this class, and
 * prints the agent's cost as ratios of time per operation.
 *
 * <p>Both variants get the same JVM arguments, forks and iterations; the agent variant only adds
 * {@code -javaagent:}, with default options unless {@code --agent-options} gives others, and with
 * {@code --baseline empty-agent} the other variant adds an agent that does nothing. Forks are
 * interleaved (workload by workload, the two variants back to back, their order swapped on every
 * other round), so that the load of a shared machine drifting during the run falls on both
 * variants alike rather than on whichever ran second.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mapretention.bench.BenchRunner \
 *     --agent agent/target/map-retention-agent.jar [--agent-options K=V,...] [--mode quick|full]
 *     [--only REGEX] [--prof gc]
 *     [--baseline plain|jmx|empty-agent]
 *     [--results DIR --label NAME]
 * </pre>
 */
public final class BenchRunner {

    /** The same for both variants: a fixed heap, so that GC sizing does not differ between runs. */
    static final List<String> JVM_ARGS = List.of("-Xms2g", "-Xmx2g");

    private BenchRunner() {
    }

    /**
     * How long each variant runs. The warm-up is 8 s: with the agent, GrowPastMinCapacity takes
     * about that long to reach its steady state (the tracker's slow path, and the JDK's stack
     * walking under it, are compiled late: C2 has one thread on two cores), measured per
     * iteration at 90, 78, 101, 62, 38, 41, 38, 44, then 41 to 49 us/op (no agent: 35 to 39 from
     * the fifth second). Three seconds measured the warm-up as cost.
     */
    enum Mode {
        QUICK(1, 8, 5),
        FULL(5, 8, 5);

        final int forks;
        final int warmupIterations;
        final int measurementIterations;

        Mode(int forks, int warmupIterations, int measurementIterations) {
            this.forks = forks;
            this.warmupIterations = warmupIterations;
            this.measurementIterations = measurementIterations;
        }

        String describe() {
            return forks + " fork(s) per variant, " + warmupIterations + "x1s warm-up, " + measurementIterations
                    + "x1s measurement";
        }
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: BenchRunner --agent JAR [--agent-options K=V,...] [--mode quick|full]"
                    + " [--only REGEX] [--prof gc]"
                    + " [--baseline plain|jmx|empty-agent] [--results DIR --label NAME]");
            System.exit(2);
            return;
        }
        List<Comparison> comparisons = run(arguments);
        String table = RatioTable.render(header(arguments), comparisons, arguments.profileGc);
        System.out.print(table);
        if (arguments.resultsDir != null) {
            Files.createDirectories(arguments.resultsDir);
            Files.writeString(arguments.resultsDir.resolve(arguments.label + "-jmh.json"),
                    RatioTable.json(header(arguments), arguments.mode.name().toLowerCase(Locale.ROOT), comparisons));
        }
    }

    private static String header(Arguments arguments) {
        return String.format(Locale.ROOT, "JMH: agent vs %s on Java %s (%s %s), %s mode: %s, jvmArgs %s,"
                        + " agent options: %s",
                arguments.baseline.describe(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), arguments.mode.name().toLowerCase(Locale.ROOT),
                arguments.mode.describe(), String.join(" ", JVM_ARGS),
                arguments.agentOptions == null ? "defaults" : arguments.agentOptions);
    }

    private static List<Comparison> run(Arguments arguments) throws RunnerException, IOException {
        Path emptyAgent = arguments.baseline == Baseline.EMPTY_AGENT ? EmptyAgent.writeJar() : null;
        try {
            return run(arguments, emptyAgent);
        } finally {
            if (emptyAgent != null) {
                Files.deleteIfExists(emptyAgent);
            }
        }
    }

    private static List<Comparison> run(Arguments arguments, Path emptyAgent) throws RunnerException, IOException {
        Map<Workload, Measurement> baseline = new LinkedHashMap<>();
        Map<Workload, Measurement> withAgent = new LinkedHashMap<>();
        Map<Workload, String> names = new LinkedHashMap<>();
        Map<Workload, String> units = new LinkedHashMap<>();
        Map<Workload, String> health = new LinkedHashMap<>();
        List<Workload> workloads = arguments.workloads();
        try (PrintStream log = openLog(arguments)) {
            for (int fork = 0; fork < arguments.mode.forks; fork++) {
                for (Workload workload : workloads) {
                    boolean agentFirst = fork % 2 == 1;
                    for (int turn = 0; turn < 2; turn++) {
                        boolean agent = (turn == 0) == agentFirst;
                        Path healthFile = Files.createTempFile("map-retention-health-", ".txt");
                        RunResult result;
                        try {
                            result = runFork(arguments, workload, agent, emptyAgent, log, healthFile);
                            if (agent) {
                                health.put(workload, Files.readString(healthFile));
                            }
                        } finally {
                            Files.deleteIfExists(healthFile);
                        }
                        Measurement into = (agent ? withAgent : baseline).computeIfAbsent(workload, w -> new Measurement());
                        record(result, into);
                        names.put(workload, shortLabel(result.getParams().getBenchmark()));
                        units.put(workload, result.getPrimaryResult().getScoreUnit());
                        System.err.printf(Locale.ROOT, "[bench] fork %d/%d %-54s %-8s %,12.1f %s%s%n", fork + 1,
                                arguments.mode.forks, names.get(workload),
                                agent ? "agent" : arguments.baseline.forkLabel(),
                                result.getPrimaryResult().getScore(), units.get(workload),
                                agent ? "   " + health.get(workload) : "");
                    }
                }
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (Workload workload : workloads) {
            comparisons.add(new Comparison(names.get(workload), units.get(workload), workload.target(),
                    baseline.get(workload), withAgent.get(workload), health.get(workload)));
        }
        return comparisons;
    }

    private static RunResult runFork(Arguments arguments, Workload workload, boolean agent, Path emptyAgent,
                                     PrintStream log, Path healthFile) throws RunnerException {
        List<String> jvmArgs = new ArrayList<>(JVM_ARGS);
        jvmArgs.add("-D" + AgentAware.AGENT_PROPERTY + "=" + (agent ? "on" : "off"));
        jvmArgs.add("-D" + AgentAware.HEALTH_FILE_PROPERTY + "=" + healthFile);
        if (arguments.baseline == Baseline.JMX) {
            jvmArgs.add("-D" + AgentAware.BASELINE_JMX_PROPERTY + "=on");
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(workload.includePattern())
                .jvm(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .jvmArgs(jvmArgs.toArray(new String[0]))
                .forks(1)
                .warmupIterations(arguments.mode.warmupIterations)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(arguments.mode.measurementIterations)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        if (agent) {
            options.jvmArgsAppend("-javaagent:" + arguments.agentJar
                    + (arguments.agentOptions == null ? "" : "=" + arguments.agentOptions));
        } else if (emptyAgent != null) {
            options.jvmArgsAppend("-javaagent:" + emptyAgent);
        }
        if (arguments.profileGc) {
            options.addProfiler("gc");
        }
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL)).run();
        if (results.size() != 1) {
            throw new RunnerException("expected one result for " + workload.simpleName() + ", got " + results.size()
                    + " (see the JMH log)");
        }
        return results.iterator().next();
    }

    private static void record(RunResult result, Measurement into) {
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            List<Double> scores = new ArrayList<>();
            for (IterationResult iteration : fork.getIterationResults()) {
                scores.add(iteration.getPrimaryResult().getScore());
            }
            double[] values = new double[scores.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = scores.get(i);
            }
            into.addFork(values);
            for (Map.Entry<String, Result> secondary : fork.getSecondaryResults().entrySet()) {
                if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                    into.addAllocPerOp(secondary.getValue().getScore());
                }
            }
        }
    }

    /** {@code dev.mapretention.bench.workloads.SmallMapsBenchmark.buildReadDiscard} to {@code SmallMaps.buildReadDiscard}. */
    static String shortLabel(String benchmark) {
        String[] parts = benchmark.split("\\.");
        String type = parts[parts.length - 2];
        if (type.endsWith("Benchmark")) {
            type = type.substring(0, type.length() - "Benchmark".length());
        }
        return type + "." + parts[parts.length - 1];
    }

    private static PrintStream openLog(Arguments arguments) throws IOException {
        if (arguments.resultsDir == null) {
            Path log = Files.createTempFile("map-retention-jmh-", ".log");
            System.err.println("[bench] JMH output: " + log);
            return new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
        }
        Files.createDirectories(arguments.resultsDir);
        Path log = arguments.resultsDir.resolve(arguments.label + "-jmh.log");
        System.err.println("[bench] JMH output: " + log);
        OutputStream out = Files.newOutputStream(log);
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    /** What the forks without map-retention run, and what the ones with it run besides. */
    enum Baseline {
        /** Nothing: the JVM as the application runs without the agent. */
        PLAIN("plain", "no agent", "no agent"),
        /**
         * Every fork, with the agent or without, starts the platform MBeanServer and registers an
         * MXBean at set-up, as a service that uses JMX does.
         */
        JMX("jmx", "no agent", "no agent (every fork starts the platform MBeanServer and registers an MXBean at set-up,"
                + " as a service using JMX does)"),
        /**
         * The baseline forks run an agent that does nothing ({@link EmptyAgent}): the ratio is then
         * map-retention's cost over what any {@code -javaagent} costs.
         */
        EMPTY_AGENT("empty-agent", "empty agent",
                "an empty agent (baseline forks run -javaagent with a premain that does nothing)");

        private final String name;
        private final String forkLabel;
        private final String description;

        Baseline(String name, String forkLabel, String description) {
            this.name = name;
            this.forkLabel = forkLabel;
            this.description = description;
        }

        /** What a baseline fork's line says it ran. */
        String forkLabel() {
            return forkLabel;
        }

        String describe() {
            return description;
        }

        static Baseline parse(String value) {
            for (Baseline baseline : values()) {
                if (baseline.name.equals(value)) {
                    return baseline;
                }
            }
            throw new IllegalArgumentException("bad --baseline " + value + ": expected plain, jmx or empty-agent");
        }
    }

    /** The command line. */
    static final class Arguments {
        Path agentJar;
        /** The agent's options (README "Use it"), or null for its defaults. */
        String agentOptions;
        Mode mode = Mode.QUICK;
        Pattern only;
        boolean profileGc;
        Baseline baseline = Baseline.PLAIN;
        Path resultsDir;
        String label;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("'" + arg + "' needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--agent":
                        parsed.agentJar = Path.of(value).toAbsolutePath();
                        break;
                    case "--agent-options":
                        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
                            throw new IllegalArgumentException("bad --agent-options '" + value
                                    + "': expected the agent's key=value pairs joined by commas, e.g. siteDepth=4");
                        }
                        parsed.agentOptions = value;
                        break;
                    case "--mode":
                        try {
                            parsed.mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("bad --mode " + value + ": expected quick or full");
                        }
                        break;
                    case "--only":
                        parsed.only = Pattern.compile(value);
                        break;
                    case "--prof":
                        if (!value.equals("gc")) {
                            throw new IllegalArgumentException("bad --prof " + value + ": only gc is supported");
                        }
                        parsed.profileGc = true;
                        break;
                    case "--baseline":
                        parsed.baseline = Baseline.parse(value);
                        break;
                    case "--results":
                        parsed.resultsDir = Path.of(value);
                        break;
                    case "--label":
                        parsed.label = value;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (parsed.agentJar == null || !Files.isRegularFile(parsed.agentJar)) {
                throw new IllegalArgumentException("--agent must name the built agent jar"
                        + (parsed.agentJar == null ? "" : " (not found: " + parsed.agentJar + ")"));
            }
            if ((parsed.resultsDir == null) != (parsed.label == null)) {
                throw new IllegalArgumentException("--results and --label go together");
            }
            if (parsed.workloads().isEmpty()) {
                throw new IllegalArgumentException("--only " + parsed.only + " matches no benchmark (they are named Class.method, e.g. SmallMapsBenchmark.buildReadDiscard)");
            }
            return parsed;
        }

        List<Workload> workloads() {
            List<Workload> selected = new ArrayList<>();
            for (Workload workload : Workload.values()) {
                if (only == null || only.matcher(workload.simpleName()).find()) {
                    selected.add(workload);
                }
            }
            return selected;
        }
    }
}
