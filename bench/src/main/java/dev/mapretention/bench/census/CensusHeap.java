package dev.mapretention.bench.census;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heap the census is measured on: about 1 GB live in about 20 million objects, shaped like a
 * service's (a large map of records, many small maps, lists, byte payloads), with a few drained
 * maps for the census to find. A meter thread wakes every millisecond and keeps the longest gap
 * it saw between two wake-ups: the longest pause the application felt.
 *
 * <p>Driven over standard input: prints {@code READY pid}; {@code stall} prints
 * {@code stall maxGapMillis=N} (since the last {@code stall}) and restarts the meter;
 * {@code quit} ends.
 *
 * <pre>java -Xms3g -Xmx3g -cp bench/target/benchmarks.jar dev.mapretention.bench.census.CensusHeap [SCALE]</pre>
 */
public final class CensusHeap {

    /** What the heap holds, kept reachable from here. */
    static final List<Object> LIVE = new ArrayList<>();

    private static volatile long maxGapNanos;

    private CensusHeap() {
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        build(scale);
        Thread meter = new Thread(CensusHeap::meter, "stall-meter");
        meter.setDaemon(true);
        meter.setPriority(Thread.MAX_PRIORITY);
        meter.start();
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.trim()) {
                case "stall":
                    System.out.println("stall maxGapMillis=" + maxGapNanos / 1_000_000);
                    maxGapNanos = 0;
                    break;
                case "quit":
                    System.out.println("bye " + LIVE.size());
                    return;
                default:
                    System.out.println("unknown " + line);
            }
        }
    }

    private static void build(double scale) {
        // A large map of records: per entry a node, a Long key, a record, its String and bytes.
        int records = (int) (1_700_000 * scale);
        Map<Long, Record> byId = new HashMap<>(records * 2);
        for (int i = 0; i < records; i++) {
            byId.put((long) i, new Record("r" + i, new byte[16], i));
        }
        LIVE.add(byId);
        // Many small maps, as per-object attributes are.
        int small = (int) (500_000 * scale);
        List<Map<String, Integer>> attributes = new ArrayList<>(small);
        for (int i = 0; i < small; i++) {
            Map<String, Integer> map = new HashMap<>(8);
            for (int j = 0; j < 3; j++) {
                map.put(KEYS[j], i + j);
            }
            attributes.add(map);
        }
        LIVE.add(attributes);
        // Lists of small arrays.
        int arrays = (int) (3_000_000 * scale);
        List<long[]> samples = new ArrayList<>(arrays);
        for (int i = 0; i < arrays; i++) {
            samples.add(new long[2]);
        }
        LIVE.add(samples);
        // A linked chain, which a heap walk follows one object at a time.
        Node head = null;
        for (int i = 0, n = (int) (2_000_000 * scale); i < n; i++) {
            head = new Node(head, i);
        }
        LIVE.add(head);
        // Byte payloads: bytes rather than objects.
        int payloads = (int) (100_000 * scale);
        List<byte[]> blobs = new ArrayList<>(payloads);
        for (int i = 0; i < payloads; i++) {
            blobs.add(new byte[4096]);
        }
        LIVE.add(blobs);
        // What the census is for: drained maps, each held somewhere.
        for (int i = 0; i < 8; i++) {
            Map<Integer, Integer> drained = new HashMap<>();
            for (int j = 0; j < 200_000; j++) {
                drained.put(j, j);
            }
            drained.clear();
            LIVE.add(drained);
        }
    }

    private static final String[] KEYS = {"colour", "size", "weight"};

    private static void meter() {
        long last = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long gap = now - last;
            if (gap > maxGapNanos) {
                maxGapNanos = gap;
            }
            last = now;
        }
    }

    record Record(String name, byte[] data, int value) {
    }

    record Node(Node next, int value) {
    }
}
