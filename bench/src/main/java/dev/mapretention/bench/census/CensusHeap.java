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
 * <pre>java -Xms3g -Xmx3g -cp bench/target/benchmarks.jar dev.mapretention.bench.census.CensusHeap [SCALE [fields|list]]</pre>
 */
public final class CensusHeap {

    /** What the heap holds, kept reachable from here. */
    static final List<Object> LIVE = new ArrayList<>();

    private static volatile long maxGapNanos;

    private CensusHeap() {
    }

    /** Where the drained maps are held: fields of an object held by a static, or a static list. */
    static Caches caches;
    static List<Map<Integer, Integer>> drainedList;

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        boolean inList = args.length > 1 && args[1].equals("list");
        build(scale, inList);
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

    private static void build(double scale, boolean inList) {
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
        // What the census is for: drained maps, held in fields (the usual cache) or in a list.
        List<Map<Integer, Integer>> drained = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<Integer, Integer> map = new HashMap<>();
            for (int j = 0; j < 200_000; j++) {
                map.put(j, j);
            }
            map.clear();
            drained.add(map);
        }
        if (inList) {
            drainedList = drained;
        } else {
            caches = new Caches(drained);
        }
    }

    /** Eight caches, each in a field, as a service's caches are. */
    static final class Caches {
        final Map<Integer, Integer> users;
        final Map<Integer, Integer> sessions;
        final Map<Integer, Integer> orders;
        final Map<Integer, Integer> prices;
        final Map<Integer, Integer> stock;
        final Map<Integer, Integer> carts;
        final Map<Integer, Integer> tokens;
        final Map<Integer, Integer> routes;

        Caches(List<Map<Integer, Integer>> maps) {
            users = maps.get(0);
            sessions = maps.get(1);
            orders = maps.get(2);
            prices = maps.get(3);
            stock = maps.get(4);
            carts = maps.get(5);
            tokens = maps.get(6);
            routes = maps.get(7);
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
