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
 * The map the agent exists to find: grown to 500,000 entries (a table of 2^20 slots), then
 * drained to 32 entries, and used on at that size. With the agent it is tracked and sparse; every
 * remove runs the advice's edge check, which must stay a compare that fails.
 *
 * <p>One operation removes one of the 32 keys, puts one of 32 others back and reads one key, over
 * a ring of 64 keys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DrainedMapChurnBenchmark extends AgentAware {

    /** More than 393,216 (the 2^19 table's threshold) and at most 786,432: a 2^20-slot table. */
    private static final int PEAK_ENTRIES = 500_000;
    private static final int RING = 64;
    private static final int LIVE = RING / 2;
    private static final Object VALUE = new Object();

    private Integer[] keys;
    private HashMap<Integer, Object> map;
    private int start;

    @Setup(Level.Trial)
    public void growAndDrain() {
        keys = Keys.shuffled(PEAK_ENTRIES, 3);
        map = new HashMap<>();
        for (Integer key : keys) {
            map.put(key, VALUE);
        }
        for (int i = LIVE; i < PEAK_ENTRIES; i++) {
            map.remove(keys[i]);
        }
        start = 0;
    }

    @Benchmark
    public Object removePutGet() {
        int s = start;
        map.remove(keys[s]);
        map.put(keys[(s + LIVE) % RING], VALUE);
        start = (s + 1) % RING;
        return map.get(keys[(s + LIVE / 2) % RING]);
    }
}
