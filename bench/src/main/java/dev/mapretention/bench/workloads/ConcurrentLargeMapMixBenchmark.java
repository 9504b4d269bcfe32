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
 * {@link LargeMapMixBenchmark} with a ConcurrentHashMap: a long-lived map, tracked with the
 * default {@code minCapacity}, under a steady mix of reads and writes that never drains it. A
 * ConcurrentHashMap's {@code get}, {@code put} and {@code remove} carry no hook at all; this row
 * checks that they compile as without the agent.
 *
 * <p>Each thread slides its own window of 10,000 consecutive keys over a shuffled ring of 65,536
 * (the windows of two threads half a ring apart), all in one map: 10,000 entries (16,384 slots)
 * for one thread, 20,000 (32,768 slots) shared by two. One operation does 8 gets (5 hits, 3
 * misses), then slides the thread's window by one: removes its first key and puts the key after
 * its end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConcurrentLargeMapMixBenchmark extends AgentAware {

    static final int RING = 1 << 16;
    static final int MASK = RING - 1;
    static final int ENTRIES = 10_000;
    private static final int GET_STRIDE = 2_477;
    private static final Object VALUE = new Object();

    Integer[] keys;
    ConcurrentHashMap<Integer, Object> map;

    @Setup(Level.Trial)
    public void fill(BenchmarkParams params) {
        keys = Keys.shuffled(RING, 2);
        map = new ConcurrentHashMap<>();
        for (int t = 0; t < params.getThreads(); t++) {
            for (int i = 0; i < ENTRIES; i++) {
                map.put(keys[(Window.base(t) + i) & MASK], VALUE);
            }
        }
    }

    /** One thread's window. */
    @State(Scope.Thread)
    public static class Window {
        int start;

        static int base(int thread) {
            return thread * (RING / 2);
        }

        @Setup(Level.Trial)
        public void place(ThreadParams thread) {
            start = base(thread.getThreadIndex());
        }
    }

    @Benchmark
    public int getPutRemove(Window window) {
        return slide(window);
    }

    @Benchmark
    @Threads(2)
    public int getPutRemoveTwoThreads(Window window) {
        return slide(window);
    }

    private int slide(Window window) {
        int s = window.start;
        int hits = 0;
        for (int g = 0; g < 8; g++) {
            if (map.get(keys[(s + g * GET_STRIDE) & MASK]) != null) {
                hits++;
            }
        }
        map.remove(keys[s]);
        map.put(keys[(s + ENTRIES) & MASK], VALUE);
        window.start = (s + 1) & MASK;
        return hits;
    }
}
