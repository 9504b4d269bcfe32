package dev.mapretention.bench.census;

import dev.mapretention.bench.Stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a heap census stalls a JVM, against {@code jcmd PID GC.heap_dump} on the same heap
 * (the budget: at most half). A {@link CensusHeap} of about 1 GB live in about 20 million
 * objects runs on the JDK running this class; the census is taken as a user takes it,
 * {@code java -jar map-retention-agent.jar census PID}, after one untimed census (which loads the
 * agent and the library).
 *
 * <p>Three views of each stall: the JVM's own safepoint log ({@code -Xlog:safepoint}, the total of
 * the VM operations: HeapWalkOperation for the census, HeapDumper for the dump), the longest gap
 * a thread of the application saw between two 1 ms sleeps, and for the census the pause its
 * report states.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mapretention.bench.census.CensusProbe --agent JAR [--censuses 3] [--dumps 2] [--scale 1.0] [--holders fields|list]</pre>
 */
public final class CensusProbe {

    /** The target: the census stalls at most half as long as a heap dump. */
    static final double TARGET_RATIO = 0.5;

    private static final Pattern SAFEPOINT = Pattern.compile("Safepoint \"(\\w+)\".*Total: (\\d+) ns");
    private static final Pattern PAUSE = Pattern.compile("\"pauseMillis\": (\\d+)");
    private static final Pattern WALKS = Pattern.compile("\"walks\": (\\d+)");
    private static final Pattern PARTIAL = Pattern.compile("\"partial\": (true|false)");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)");

    private CensusProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path agentJar = null;
        int censuses = 3;
        int dumps = 2;
        String scale = "1.0";
        String holders = "fields";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--agent": agentJar = Path.of(args[i + 1]); break;
                case "--censuses": censuses = Integer.parseInt(args[i + 1]); break;
                case "--dumps": dumps = Integer.parseInt(args[i + 1]); break;
                case "--scale": scale = args[i + 1]; break;
                case "--holders": holders = args[i + 1]; break;
                default: usage("unknown argument '" + args[i] + "'");
            }
        }
        if (agentJar == null || !Files.isRegularFile(agentJar) || censuses < 1 || dumps < 1 || args.length % 2 != 0) {
            usage("--agent must name the built agent jar; --censuses and --dumps take positive counts");
        }
        Path work = Files.createTempDirectory("map-retention-census-probe");
        Path log = work.resolve("safepoint.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        int feature = Runtime.version().feature();
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms3g", "-Xmx3g", "-XX:+UseG1GC",
                "-Xlog:safepoint=info:file=" + log + ":uptime"));
        if (feature >= 21) {
            command.add("-XX:+EnableDynamicAgentLoading");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CensusHeap.class.getName(), scale,
                holders));
        Process child = new ProcessBuilder(command).redirectError(work.resolve("child.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        try {
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("the heap did not start: " + ready + "\n"
                        + Files.readString(work.resolve("child.err")));
            }
            String pid = ready.substring(6).trim();
            // The live heap, after a full collection: what the census and the dump both walk.
            String histogram = run(jcmd.toString(), pid, "GC.class_histogram");
            Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
            if (!total.find()) {
                throw new IllegalStateException("no total in the class histogram:\n" + histogram);
            }
            long objects = Long.parseLong(total.group(1));
            long bytes = Long.parseLong(total.group(2));
            String cli = java + " -jar " + agentJar.toAbsolutePath();
            run(java.toString(), "-jar", agentJar.toString(), "census", pid, "scanInterval=1h", "--json");
            stall(in, out);
            long logged = Files.size(log);

            double[] census = new double[censuses];
            double[] censusGap = new double[censuses];
            double[] censusReported = new double[censuses];
            int walks = 0;
            int partial = 0;
            for (int i = 0; i < censuses; i++) {
                String report = run(java.toString(), "-jar", agentJar.toString(), "census", pid, "--json");
                censusGap[i] = stall(in, out);
                census[i] = safepointMillis(log, logged, "HeapWalkOperation") + safepointMillis(log, logged,
                        "HeapIterateOperation");
                logged = Files.size(log);
                censusReported[i] = Long.parseLong(find(PAUSE, report));
                walks = Integer.parseInt(find(WALKS, report));
                partial += Boolean.parseBoolean(find(PARTIAL, report)) ? 1 : 0;
            }
            double[] dump = new double[dumps];
            double[] dumpGap = new double[dumps];
            long dumpBytes = 0;
            for (int i = 0; i < dumps; i++) {
                Path file = work.resolve("heap-" + i + ".hprof");
                run(jcmd.toString(), pid, "GC.heap_dump", file.toString());
                dumpGap[i] = stall(in, out);
                dump[i] = safepointMillis(log, logged, "HeapDumper");
                logged = Files.size(log);
                dumpBytes = Files.size(file);
                Files.delete(file);
            }
            String f = "%,.0f";
            System.out.printf(Locale.ROOT, "Census against heap dump on Java %s (%s), G1, 2 cores: %,d live objects,"
                    + " %,.0f MB live (class histogram), 8 drained maps held in %s; ms as median [p25 .. p75] (min, max)%n",
                    System.getProperty("java.version"), System.getProperty("java.vm.version"), objects, bytes / 1e6,
                    holders.equals("list") ? "a list" : "fields");
            System.out.printf(Locale.ROOT, "  census, safepoint log (all its operations): %s   (%d scans and walks in"
                    + " the last; %d of %d partial)%n", new Stats(census).summary(f), walks, partial, censuses);
            System.out.printf(Locale.ROOT, "  census, longest application stall:         %s%n", new Stats(censusGap).summary(f));
            System.out.printf(Locale.ROOT, "  census, pauseMillis in its report:         %s%n",
                    new Stats(censusReported).summary(f));
            System.out.printf(Locale.ROOT, "  heap dump, safepoint log (HeapDumper):     %s   (%,.0f MB written)%n",
                    new Stats(dump).summary(f), dumpBytes / 1e6);
            System.out.printf(Locale.ROOT, "  heap dump, longest application stall:      %s%n", new Stats(dumpGap).summary(f));
            double allPauses = new Stats(census).median() / new Stats(dump).median();
            double longest = new Stats(censusGap).median() / new Stats(dumpGap).median();
            System.out.printf(Locale.ROOT, "  census / heap dump, all pauses (safepoint log medians): %.2f;"
                    + " target <= %.2f: %s%n", allPauses, TARGET_RATIO, allPauses <= TARGET_RATIO ? "ok" : "OVER");
            System.out.printf(Locale.ROOT, "  census / heap dump, longest stall the application saw (medians): %.2f%n",
                    longest);
            System.out.printf(Locale.ROOT, "  (the census as run: %s census %s --json)%n", cli, pid);
            in.write("quit\n");
            in.flush();
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** The longest stall the application saw since the last ask, in ms; restarts its meter. */
    private static double stall(Writer in, BufferedReader out) throws IOException {
        in.write("stall\n");
        in.flush();
        String line = out.readLine();
        if (line == null || !line.startsWith("stall maxGapMillis=")) {
            throw new IllegalStateException("the heap did not answer: " + line);
        }
        return Long.parseLong(line.substring("stall maxGapMillis=".length()));
    }

    /** The total of the named safepoint operations logged after {@code from} bytes, in ms. */
    private static double safepointMillis(Path log, long from, String operation) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Matcher m = SAFEPOINT.matcher(text.substring((int) Math.min(from, text.length())));
        long nanos = 0;
        while (m.find()) {
            if (m.group(1).equals(operation)) {
                nanos += Long.parseLong(m.group(2));
            }
        }
        return nanos / 1e6;
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in\n" + text);
        }
        return m.group(1);
    }

    /** Runs a command to its end; its standard output, or an exception with all it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static void usage(String problem) {
        System.err.println("census probe: " + problem);
        System.err.println("usage: CensusProbe --agent JAR [--censuses N] [--dumps N] [--scale S] [--holders fields|list]");
        System.exit(2);
    }
}
