package dev.mapretention.scenarios;

import java.util.HashMap;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hot loops of the bench module's benchmarks, shaped as they are there, for C2's inlining
 * decisions with and without the agent ({@code -XX:+PrintInlining}): the argument names one,
 * {@code DrainedMapChurn} (a map grown to 500,000 entries and drained to 32: remove, put, get),
 * {@code LargeMapMix} (a tracked 10,000-entry map: 8 gets, a remove, a put),
 * {@code FillAndDrainMillion} (fill a map to 1,000,000 entries, remove every key), or
 * {@code ConcurrentDrainedMapChurn} and {@code ConcurrentLargeMapMix}, the first two with a
 * ConcurrentHashMap.
 *
 * <p>Each loop is called from an outer loop, as JMH's generated stub calls a benchmark method.
 * Nothing here starts JMX (neither does a benchmark fork's set-up, nor the agent).
 */
public final class BenchmarkLoops {

    private static final Object VALUE = new Object();

    private BenchmarkLoops() {
    }

    public static void main(String[] args) {
        long sum;
        switch (args[0]) {
            case "DrainedMapChurn": sum = new DrainedMapChurn().run(); break;
            case "LargeMapMix": sum = new LargeMapMix().run(); break;
            case "FillAndDrainMillion": sum = new FillAndDrainMillion().run(); break;
            case "ConcurrentDrainedMapChurn": sum = new ConcurrentDrainedMapChurn().run(); break;
            case "ConcurrentLargeMapMix": sum = new ConcurrentLargeMapMix().run(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        System.out.println("SUM=" + sum);
    }

    /** As the bench module's Keys: spread over the int range, in a fixed pseudo-random order. */
    static Integer[] shuffled(int count, long seed) {
        Integer[] keys = new Integer[count];
        for (int i = 0; i < count; i++) {
            keys[i] = i * 0x9E3779B1;
        }
        Random random = new Random(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = keys[i];
            keys[i] = keys[j];
            keys[j] = swap;
        }
        return keys;
    }

    /** DrainedMapChurnBenchmark.removePutGet. */
    static final class DrainedMapChurn {
        private static final int PEAK_ENTRIES = 500_000;
        private static final int RING = 64;
        private static final int LIVE = RING / 2;
        private final Integer[] keys = shuffled(PEAK_ENTRIES, 3);
        private final HashMap<Integer, Object> map = new HashMap<>();
        private int start;

        DrainedMapChurn() {
            for (Integer key : keys) {
                map.put(key, VALUE);
            }
            for (int i = LIVE; i < PEAK_ENTRIES; i++) {
                map.remove(keys[i]);
            }
        }

        long run() {
            long sum = 0;
            for (int round = 0; round < 40; round++) {
                sum += loop(100_000);
            }
            return sum;
        }

        private long loop(int times) {
            long sum = 0;
            for (int i = 0; i < times; i++) {
                sum += removePutGet() == null ? 0 : 1;
            }
            return sum;
        }

        Object removePutGet() {
            int s = start;
            map.remove(keys[s]);
            map.put(keys[(s + LIVE) % RING], VALUE);
            start = (s + 1) % RING;
            return map.get(keys[(s + LIVE / 2) % RING]);
        }
    }

    /** LargeMapMixBenchmark.getPutRemove. */
    static final class LargeMapMix {
        private static final int RING = 1 << 16;
        private static final int MASK = RING - 1;
        private static final int ENTRIES = 10_000;
        private static final int GET_STRIDE = 2_477;
        private final Integer[] keys = shuffled(RING, 2);
        private final HashMap<Integer, Object> map = new HashMap<>();
        private int start;

        LargeMapMix() {
            for (int i = 0; i < ENTRIES; i++) {
                map.put(keys[i], VALUE);
            }
        }

        long run() {
            long sum = 0;
            for (int round = 0; round < 40; round++) {
                sum += loop(50_000);
            }
            return sum;
        }

        private long loop(int times) {
            long sum = 0;
            for (int i = 0; i < times; i++) {
                sum += getPutRemove();
            }
            return sum;
        }

        int getPutRemove() {
            int s = start;
            int hits = 0;
            for (int g = 0; g < 8; g++) {
                if (map.get(keys[(s + g * GET_STRIDE) & MASK]) != null) {
                    hits++;
                }
            }
            map.remove(keys[s]);
            map.put(keys[(s + ENTRIES) & MASK], VALUE);
            start = (s + 1) & MASK;
            return hits;
        }
    }

    /** FillAndDrainMillionBenchmark.fillAndDrain. */
    static final class FillAndDrainMillion {
        private final Integer[] keys = shuffled(1_000_000, 5);

        long run() {
            long sum = 0;
            for (int round = 0; round < 12; round++) {
                sum += fillAndDrain();
            }
            return sum;
        }

        int fillAndDrain() {
            HashMap<Integer, Object> map = new HashMap<>();
            for (Integer key : keys) {
                map.put(key, VALUE);
            }
            for (Integer key : keys) {
                map.remove(key);
            }
            return map.size();
        }
    }

    /** ConcurrentDrainedMapChurnBenchmark.removePutGet, on one thread. */
    static final class ConcurrentDrainedMapChurn {
        private static final int PEAK_ENTRIES = 500_000;
        private static final int RING = 64;
        private static final int LIVE = RING / 2;
        private final Integer[] keys = shuffled(PEAK_ENTRIES, 3);
        private final ConcurrentHashMap<Integer, Object> map = new ConcurrentHashMap<>();
        private int start;

        ConcurrentDrainedMapChurn() {
            for (Integer key : keys) {
                map.put(key, VALUE);
            }
            for (int i = LIVE; i < PEAK_ENTRIES; i++) {
                map.remove(keys[i]);
            }
        }

        long run() {
            long sum = 0;
            for (int round = 0; round < 40; round++) {
                sum += loop(100_000);
            }
            return sum;
        }

        private long loop(int times) {
            long sum = 0;
            for (int i = 0; i < times; i++) {
                sum += removePutGet() == null ? 0 : 1;
            }
            return sum;
        }

        Object removePutGet() {
            int s = start;
            map.remove(keys[s]);
            map.put(keys[(s + LIVE) % RING], VALUE);
            start = (s + 1) % RING;
            return map.get(keys[(s + LIVE / 2) % RING]);
        }
    }

    /** ConcurrentLargeMapMixBenchmark.getPutRemove, on one thread. */
    static final class ConcurrentLargeMapMix {
        private static final int RING = 1 << 16;
        private static final int MASK = RING - 1;
        private static final int ENTRIES = 10_000;
        private static final int GET_STRIDE = 2_477;
        private final Integer[] keys = shuffled(RING, 2);
        private final ConcurrentHashMap<Integer, Object> map = new ConcurrentHashMap<>();
        private int start;

        ConcurrentLargeMapMix() {
            for (int i = 0; i < ENTRIES; i++) {
                map.put(keys[i], VALUE);
            }
        }

        long run() {
            long sum = 0;
            for (int round = 0; round < 40; round++) {
                sum += loop(50_000);
            }
            return sum;
        }

        private long loop(int times) {
            long sum = 0;
            for (int i = 0; i < times; i++) {
                sum += getPutRemove();
            }
            return sum;
        }

        int getPutRemove() {
            int s = start;
            int hits = 0;
            for (int g = 0; g < 8; g++) {
                if (map.get(keys[(s + g * GET_STRIDE) & MASK]) != null) {
                    hits++;
                }
            }
            map.remove(keys[s]);
            map.put(keys[(s + ENTRIES) & MASK], VALUE);
            start = (s + 1) & MASK;
            return hits;
        }
    }
}
