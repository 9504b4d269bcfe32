package dev.mapretention.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The Go experiment "maps never shrink", in Java: a {@code HashMap<Integer, byte[]>} gets
 * 1,000,000 entries with 128-byte values, then loses them all; the heap is measured after a full
 * GC at each step, and the map-retention agent, when loaded, reports the drained map.
 *
 * <p>What to observe:
 * <ol>
 *   <li>The empty map: the heap of a small JVM, a few MiB.</li>
 *   <li>After adding 1,000,000 entries: about 190 MiB more (per entry a node, an Integer and a
 *       128-byte array, about 190 bytes, plus the map's table).</li>
 *   <li>After removing them all: the entries and their values are gone, but the table stays:
 *       2,097,152 slots of 4-byte references, 8 MiB (which G1, the default collector, counts in
 *       whole heap regions). A HashMap never shrinks its table. (Go keeps far more, 293 of
 *       461 MB, because its buckets hold the 128-byte values inline.)</li>
 *   <li>The agent's report names the drained map, where it grew ({@link #addEntries}), its
 *       capacity and the bytes it wastes, with the remedy. The map is kept alive until the agent
 *       has flagged it. Without the agent, the demo says how to run it with the agent.</li>
 *   <li>After the remedy, {@code map = new HashMap<>(map)}: the heap is back to step 1 (with the
 *       agent, a little above: its own objects after its first finding). An empty copy
 *       allocates no table at all.</li>
 * </ol>
 *
 * <p>With {@code --serve PORT} the demo serves the agent's Micrometer gauges in Prometheus's format
 * at {@code http://127.0.0.1:PORT/metrics} (port 0: a free one) and waits for Enter after step 4:
 * {@code map_retention_wasted_bytes} shows the drained map's table. Enter applies the remedy, after
 * which the demo goes on serving, the gauge now at 0, until it is stopped (Ctrl-C: a shutdown
 * hook closes the server).
 */
public final class DemoMain {

    static final int ENTRIES = 1_000_000;
    static final int VALUE_BYTES = 128;

    /** The table length of a HashMap grown to 1,000,000 entries: it doubles past 0.75 x its length. */
    static final int TABLE_SLOTS = 1 << 21;

    /** How long to wait for the agent to flag the map; its default grace alone is 60 s. */
    static final long FLAG_TIMEOUT_MILLIS = 180_000;

    static final String WITH_AGENT = "java -javaagent:agent/target/map-retention-agent.jar=grace=1s,scanInterval=500ms"
            + " -jar demo-app/target/map-retention-demo.jar";

    private static final String USAGE = "usage: java [-javaagent:map-retention-agent.jar=OPTIONS] -jar"
            + " map-retention-demo.jar [--serve PORT]\n"
            + "  --serve PORT  serve the agent's metrics at http://127.0.0.1:PORT/metrics (0: a free port);"
            + " after the drain, wait for Enter before the remedy, then serve until Ctrl-C";

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        Integer servePort = null;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        if (args.length == 2 && args[0].equals("--serve")) {
            servePort = port(args[1]);
        } else if (args.length != 0) {
            System.err.println("unknown arguments '" + String.join(" ", args) + "': expected none or --serve PORT");
            System.err.println(USAGE);
            System.exit(2);
        }
        if (servePort != null && servePort < 0) {
            System.err.println("bad port '" + args[1] + "' for --serve: expected a number from 0 to 65535 (0: a free port)");
            System.exit(2);
        }
        System.exit(run(servePort));
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 0 && port <= 65_535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int run(Integer servePort) throws Exception {
        // Before step 1, so that every figure includes what JMX (and the metrics endpoint) keep.
        AgentClient agent = AgentClient.find();
        MetricsEndpoint endpoint = servePort != null && agent != null ? MetricsEndpoint.start(servePort) : null;
        if (endpoint != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                endpoint.close();
                System.out.println("   Stopped serving " + endpoint.url());
            }, "demo-metrics-close"));
        }

        System.out.printf(Locale.ROOT, "map-retention demo: a HashMap<Integer, byte[]> with %,d entries of %d-byte"
                + " values, then drained.%n", ENTRIES, VALUE_BYTES);
        if (endpoint != null) {
            System.out.println("Serving Prometheus metrics at " + endpoint.url());
        }
        System.out.printf("Heap used after a full GC (System.gc()):%n%n");

        Map<Integer, byte[]> map = new HashMap<>();
        step(1, "An empty map", heapUsedAfterGc(), "");
        System.out.println();

        addEntries(map, ENTRIES);
        step(2, String.format(Locale.ROOT, "After adding %,d entries", ENTRIES), heapUsedAfterGc(), "");
        System.out.println();

        for (int i = 0; i < ENTRIES; i++) {
            map.remove(i);
        }
        long drained = heapUsedAfterGc();
        step(3, String.format(Locale.ROOT, "After removing all %,d entries", ENTRIES), drained,
                "   (map.size() = " + map.size() + ")");
        System.out.println();

        int status = 0;
        if (agent == null) {
            System.out.println("4. The map-retention agent is not loaded, so nothing reports the drained map.");
            System.out.println("   Run the demo with it (from the repository root, after mvn -B -DskipTests package):");
            System.out.println("   " + WITH_AGENT);
            if (servePort != null) {
                System.out.println("   (--serve needs the agent: the metrics come from it, so nothing is served)");
            }
            System.out.println();
        } else if (!awaitFinding(agent)) {
            status = 1;
        } else {
            System.out.println("   It did. The agent's report:");
            System.out.println();
            printIndented(agent.reportText());
            System.out.println();
            if (endpoint != null) {
                System.out.printf(Locale.ROOT, "   %s now shows map_retention_wasted_bytes %.0f.%n",
                        endpoint.url(), endpoint.wastedBytes());
                awaitEnter();
                System.out.println();
            }
        }

        map = new HashMap<>(map);
        long remedied = heapUsedAfterGc();
        // The old map is collected now; the agent's attributes show it by its next scan.
        if (agent != null && status == 0 && !agent.awaitNoneOversized(FLAG_TIMEOUT_MILLIS)) {
            status = 1;
        }
        step(5, "After the remedy, map = new HashMap<>(map)", remedied, "   (map.size() = " + map.size() + ")");
        if (endpoint != null) {
            System.out.printf(Locale.ROOT, "   %s now shows map_retention_wasted_bytes %.0f.%n",
                    endpoint.url(), endpoint.wastedBytes());
        }
        System.out.println();
        System.out.println("What it shows:");
        System.out.println("- In Go, the same experiment (a map[int][128]byte) printed 0 MB, 461 MB and 293 MB for steps 1 to 3:");
        System.out.println("  a Go map never shrinks, and its buckets hold the 128-byte values inline, so most of it stayed.");
        System.out.printf(Locale.ROOT, "- Java freed the entries and their values as they were removed. What stayed is the"
                + " map's table,%n  %s%n", TableSize.explain(TABLE_SLOTS));
        System.out.println("  A HashMap never shrinks its table: it is freed only when the map is dropped or replaced.");
        if (endpoint != null && status == 0) {
            System.out.println();
            System.out.println("Still serving " + endpoint.url() + ", the gauge now at 0: Ctrl-C stops the demo.");
            new CountDownLatch(1).await();
        }
        return status;
    }

    /**
     * Grows the map: this method is the site the agent reports, since the map reaches the
     * agent's minimum capacity (4,096 slots) here.
     */
    static void addEntries(Map<Integer, byte[]> map, int count) {
        for (int i = 0; i < count; i++) {
            map.put(i, new byte[VALUE_BYTES]);
        }
    }

    /** Waits (with a deadline) until the agent flags the drained map. */
    private static boolean awaitFinding(AgentClient agent) throws Exception {
        String options = agent.options();
        System.out.println("4. Waiting for the map-retention agent (options: " + options + ") to flag the drained map...");
        if (!options.contains("grace=")) {
            System.out.println("   With the default grace of 60s that takes a minute; grace=1s,scanInterval=500ms is quicker.");
        }
        if (agent.awaitOversized(FLAG_TIMEOUT_MILLIS)) {
            return true;
        }
        System.out.println("   The agent flagged nothing within " + FLAG_TIMEOUT_MILLIS / 1000 + " s. Its report:");
        printIndented(agent.reportText());
        System.out.println("   Run the demo with short settings: " + WITH_AGENT);
        return false;
    }

    /** Waits for Enter; with standard input closed, serves until the JVM is stopped. */
    private static void awaitEnter() throws Exception {
        System.out.println("   Press Enter to apply the remedy (step 5); the demo then serves on until Ctrl-C.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (in.readLine() == null) {
            System.out.println("   Standard input is closed: serving until the JVM is stopped (Ctrl-C).");
            new CountDownLatch(1).await();
        }
    }

    private static void printIndented(String text) {
        text.stripTrailing().lines().forEach(line -> System.out.println(("   " + line).stripTrailing()));
    }

    private static void step(int number, String label, long heapBytes, String note) {
        System.out.printf(Locale.ROOT, "%d. %-44s %s%s%n", number, label + ":", mib(heapBytes), note);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%6.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * The heap in use right after a full GC: the sum over the heap's memory pools of their usage
     * after the last collection, which {@code System.gc()} has just made.
     */
    static long heapUsedAfterGc() {
        System.gc();
        long used = 0;
        boolean reported = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (afterGc != null) {
                used += afterGc.getUsed();
                reported = true;
            }
        }
        return reported ? used : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
