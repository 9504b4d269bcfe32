package dev.mapretention.bench.footprint;

import dev.mapretention.bench.ChildJvm;
import dev.mapretention.bench.Stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's own memory per tracked map and per site, and the time to build a report, with
 * {@code maps} tracked maps (100,000 by default), on the JDK running this class.
 *
 * <p>Each variant is a fresh JVM ({@link TrackedMapsWorkload}) that grows the maps to 4,096
 * slots (the default {@code minCapacity}, so every one is tracked), clears them and holds them.
 * The agent's memory is what building the maps added to the live heap (the class histogram that
 * {@code jcmd GC.class_histogram} prints, after a full GC, minus the one before), with the agent
 * minus without it, for the same maps:
 * <ul>
 *   <li>per tracked map: all maps from one site, divided by the maps the agent tracks;</li>
 *   <li>per site: many sites minus one site (each side net of its no-agent twin), divided by the
 *       extra sites.</li>
 * </ul>
 * The report is {@code reportJson()} through the platform MBeanServer, as JConsole or the CLI
 * would call it: with default options (grace 60s, so no map is oversized yet) and with
 * {@code grace=0s} (every map oversized, the largest report).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mapretention.bench.footprint.TrackedMapsProbe --agent JAR
 *     [--maps 100000] [--sites 5000] [--reports 10]</pre>
 */
public final class TrackedMapsProbe {

    static final double TARGET_BYTES_PER_MAP = 200;
    static final double TARGET_REPORT_MILLIS = 200;

    /** 100,000 tables of 4,096 four-byte slots are 1.6 GB: room for them and for the garbage of growing them. */
    private static final String[] JVM_ARGS = {"-Xms3g", "-Xmx3g"};

    private TrackedMapsProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path agentJar = null;
        int maps = 100_000;
        int sites = 5_000;
        int reports = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--agent": agentJar = Path.of(args[i + 1]); break;
                case "--maps": maps = Integer.parseInt(args[i + 1]); break;
                case "--sites": sites = Integer.parseInt(args[i + 1]); break;
                case "--reports": reports = Integer.parseInt(args[i + 1]); break;
                default: usage("unknown argument '" + args[i] + "'");
            }
        }
        if (agentJar == null || !Files.isRegularFile(agentJar) || args.length % 2 != 0 || sites < 2 || maps < sites
                || reports < 1) {
            usage("--agent must name the built agent jar; --maps >= --sites >= 2; --reports >= 1");
        }
        System.out.printf(Locale.ROOT, "Agent memory and report time on Java %s (%s): %,d maps, each grown to 4,096"
                        + " slots (1,537 puts) and cleared, held; live heap from class histograms; %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.version"), maps,
                String.join(" ", JVM_ARGS));

        ChildJvm.Finished plainOne = workload(null, null, maps, 1, reports);
        ChildJvm.Finished plainMany = workload(null, null, maps, sites, reports);
        ChildJvm.Finished agentOne = workload(agentJar, null, maps, 1, reports);
        ChildJvm.Finished agentMany = workload(agentJar, null, maps, sites, reports);

        Map<String, long[]> plainOneAdded = added(plainOne);
        Map<String, long[]> plainManyAdded = added(plainMany);
        Map<String, long[]> agentOneAdded = added(agentOne);
        Map<String, long[]> agentManyAdded = added(agentMany);
        String row = "  %-34s %,7d sites   live heap added %,15d B   tracked %s%n";
        System.out.printf(Locale.ROOT, row, "no agent", 1, total(plainOneAdded), "-");
        System.out.printf(Locale.ROOT, row, "no agent", sites, total(plainManyAdded), "-");
        System.out.printf(Locale.ROOT, row, "agent, default options", 1, total(agentOneAdded), counts(agentOne));
        System.out.printf(Locale.ROOT, row, "agent, default options", sites, total(agentManyAdded), counts(agentMany));

        long tracked = agentOne.longValue("trackedMaps");
        Map<String, long[]> mapsCost = subtract(agentOneAdded, plainOneAdded);
        double perMap = (double) total(mapsCost) / tracked;
        long extraSites = agentMany.longValue("sites") - agentOne.longValue("sites");
        Map<String, long[]> sitesCost = subtract(subtract(agentManyAdded, plainManyAdded), mapsCost);
        double perSite = (double) total(sitesCost) / extraSites;
        System.out.printf(Locale.ROOT, "  per tracked map (one site):  %,.1f B   target < %.0f B: %s%n", perMap,
                TARGET_BYTES_PER_MAP, perMap < TARGET_BYTES_PER_MAP ? "ok" : "OVER");
        System.out.printf(Locale.ROOT, "  per site (%,d more sites):   %,.1f B (shared by all maps of the site)%n",
                extraSites, perSite);
        System.out.printf(Locale.ROOT, "  noise: the two no-agent runs differ by %,d B (%,.1f B per map)%n",
                total(plainManyAdded) - total(plainOneAdded),
                (double) (total(plainManyAdded) - total(plainOneAdded)) / maps);
        printItems("per tracked map (one site, agent minus no agent)", mapsCost, tracked);
        printItems("per site (" + sites + " sites minus one site, each net of no agent)", sitesCost, extraSites);

        ChildJvm.Finished graceOne = workload(agentJar, "grace=0s", maps, 1, reports);
        ChildJvm.Finished graceMany = workload(agentJar, "grace=0s", maps, sites, reports);
        System.out.printf(Locale.ROOT, "  reportJson() through the platform MBeanServer, %d timed calls after 2 untimed;"
                + " ms as median [p25 .. p75] (min, max):%n", reports);
        reportRow("default options, 1 site", agentOne);
        reportRow("default options, " + sites + " sites", agentMany);
        reportRow("grace=0s, 1 site", graceOne);
        reportRow("grace=0s, " + sites + " sites", graceMany);
    }

    private static ChildJvm.Finished workload(Path agentJar, String options, int maps, int sites, int reports)
            throws Exception {
        ChildJvm child = ChildJvm.of(TrackedMapsWorkload.class).jvmArgs(JVM_ARGS)
                .args(String.valueOf(maps), String.valueOf(sites), String.valueOf(reports), agentJar == null ? "off" : "on");
        if (agentJar != null) {
            child.agent(agentJar, options);
        }
        ChildJvm.Finished finished = child.run();
        if (agentJar != null && finished.longValue("trackerFailures") != 0) {
            throw new IllegalStateException("the agent counted tracker failures: " + finished.stdout);
        }
        if (agentJar != null && finished.longValue("sites") < sites) {
            throw new IllegalStateException("asked for " + sites + " sites, the agent kept "
                    + finished.longValue("sites") + ": the per-site figure would be wrong");
        }
        return finished;
    }

    /** The classes that make up {@code difference}: each of at least 1 B per unit, largest first. */
    private static void printItems(String label, Map<String, long[]> difference, long units) {
        System.out.println("  where it goes, " + label + ", from the live-heap class histograms:");
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : difference.entrySet()) {
            if (Math.abs(e.getValue()[1]) >= units) {
                rows.add(e);
            }
        }
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        for (Map.Entry<String, long[]> r : rows) {
            System.out.printf(Locale.ROOT, "    %-58s %+,10d objects %+,14d B %+9.1f B each%n", r.getKey(),
                    r.getValue()[0], r.getValue()[1], (double) r.getValue()[1] / units);
        }
        System.out.printf(Locale.ROOT, "    %-58s %18s %+,14d B %+9.1f B each%n", "all classes", "",
                total(difference), (double) total(difference) / units);
    }

    /** {@code a - b}, class by class. */
    private static Map<String, long[]> subtract(Map<String, long[]> a, Map<String, long[]> b) {
        Map<String, long[]> result = new TreeMap<>();
        for (Map.Entry<String, long[]> e : a.entrySet()) {
            result.put(e.getKey(), e.getValue().clone());
        }
        for (Map.Entry<String, long[]> e : b.entrySet()) {
            result.merge(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]},
                    (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
        }
        return result;
    }

    private static long total(Map<String, long[]> classes) {
        long bytes = 0;
        for (long[] counts : classes.values()) {
            bytes += counts[1];
        }
        return bytes;
    }

    /** Class name to {instances, bytes} that building the maps added: histogram after minus before. */
    private static Map<String, long[]> added(ChildJvm.Finished run) {
        return subtract(histogram(run, "histogramAfter"), histogram(run, "histogramBefore"));
    }

    /** Class name to {instances, bytes}, from the child's {@code key=} lines. */
    private static Map<String, long[]> histogram(ChildJvm.Finished run, String key) {
        Map<String, long[]> classes = new TreeMap<>();
        for (String line : run.stdout.split("\n")) {
            // JDK 25's histogram also lists the filler arrays that pad dead space: not live objects.
            if (line.startsWith(key + "=") && !line.startsWith(key + "=[Ljdk.internal.vm.Filler")
                    && !line.startsWith(key + "=jdk.internal.vm.Filler")) {
                String[] cells = line.substring(key.length() + 1).split(" ");
                classes.merge(cells[0], new long[] {Long.parseLong(cells[1]), Long.parseLong(cells[2])},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("the child printed no class histogram:\n" + run.stdout);
        }
        return classes;
    }

    private static String counts(ChildJvm.Finished run) {
        return String.format(Locale.ROOT, "%,d (refused %,d, sites %,d)", run.longValue("trackedMaps"),
                run.longValue("refusedMaps"), run.longValue("sites"));
    }

    private static void reportRow(String label, ChildJvm.Finished run) {
        String[] parts = run.value("reportMillis").split(",");
        double[] millis = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            millis[i] = Double.parseDouble(parts[i]);
        }
        Stats stats = new Stats(millis);
        System.out.printf(Locale.ROOT, "    %-28s %s   (%,d oversized, %,d JSON chars)   target < %.0f ms: %s%n",
                label, stats.summary("%,.1f"), run.longValue("oversizedMaps"), run.longValue("reportChars"),
                TARGET_REPORT_MILLIS, stats.median() < TARGET_REPORT_MILLIS ? "ok" : "OVER");
    }

    private static void usage(String problem) {
        System.err.println("footprint: " + problem);
        System.err.println("usage: TrackedMapsProbe --agent JAR [--maps N] [--sites N] [--reports N]");
        System.exit(2);
    }
}
