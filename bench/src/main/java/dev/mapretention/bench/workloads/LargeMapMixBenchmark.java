package dev.mapretention.bench.workloads;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived map of 10,000 entries (16,384 slots, so tracked with the default
 * {@code minCapacity}) under a steady mix of reads and writes that never drains it: the
 * advice's fast paths in {@code removeNode} on a tracked map.
 *
 * <p>The map holds a window of 10,000 consecutive keys of a shuffled ring of 65,536. One
 * operation does 8 gets (5 hits, 3 misses), then slides the window by one: removes its first key
 * and puts the key after its end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LargeMapMixBenchmark extends AgentAware {

    private static final int RING = 1 << 16;
    private static final int MASK = RING - 1;
    private static final int ENTRIES = 10_000;
    /** Gets at these offsets from the window's start: 0..4 land inside the window, 5..7 outside. */
    private static final int GET_STRIDE = 2_477;
    private static final Object VALUE = new Object();

    private Integer[] keys;
    private HashMap<Integer, Object> map;
    private int start;

    @Setup(Level.Trial)
    public void fill() {
        keys = Keys.shuffled(RING, 2);
        map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(keys[i], VALUE);
        }
        start = 0;
    }

    @Benchmark
    public int getPutRemove() {
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
