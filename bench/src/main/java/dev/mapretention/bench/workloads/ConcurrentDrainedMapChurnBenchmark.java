package dev.mapretention.bench.workloads;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link DrainedMapChurnBenchmark} with a ConcurrentHashMap: the map the agent exists to find,
 * grown to 500,000 entries (2^20 slots), drained, and used on at a few dozen entries. With the
 * agent it is tracked and sparse (the scanner finds the drain: a ConcurrentHashMap's removals
 * carry no hook).
 *
 * <p>Each thread has its own ring of 64 keys, 32 of them in the map; one operation removes one of
 * its 32, puts one of its 32 others back and reads one. The two-thread variant runs two such
 * threads on the one map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConcurrentDrainedMapChurnBenchmark extends AgentAware {

    /** More than 393,216 (3/4 of 2^19) and less than 786,432: a 2^20-slot table. */
    private static final int PEAK_ENTRIES = 500_000;
    static final int RING = 64;
    static final int LIVE = RING / 2;
    private static final Object VALUE = new Object();

    Integer[] keys;
    ConcurrentHashMap<Integer, Object> map;

    @Setup(Level.Trial)
    public void growAndDrain(BenchmarkParams params) {
        keys = Keys.shuffled(PEAK_ENTRIES, 3);
        map = new ConcurrentHashMap<>();
        for (Integer key : keys) {
            map.put(key, VALUE);
        }
        for (int i = 0; i < PEAK_ENTRIES; i++) {
            int thread = i / RING;
            if (thread >= params.getThreads() || i % RING >= LIVE) {
                map.remove(keys[i]);
            }
        }
    }

    /** One thread's ring of keys: {@code keys[base .. base + 64)}. */
    @State(Scope.Thread)
    public static class Ring {
        int base;
        int start;

        @Setup(Level.Trial)
        public void place(ThreadParams thread) {
            base = thread.getThreadIndex() * RING;
            start = 0;
        }
    }

    @Benchmark
    public Object removePutGet(Ring ring) {
        return churn(ring);
    }

    @Benchmark
    @Threads(2)
    public Object removePutGetTwoThreads(Ring ring) {
        return churn(ring);
    }

    private Object churn(Ring ring) {
        int s = ring.start;
        int base = ring.base;
        map.remove(keys[base + s]);
        map.put(keys[base + (s + LIVE) % RING], VALUE);
        ring.start = (s + 1) % RING;
        return map.get(keys[base + (s + LIVE / 2) % RING]);
    }
}
