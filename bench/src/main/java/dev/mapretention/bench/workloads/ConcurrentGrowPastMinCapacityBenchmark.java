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

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link GrowPastMinCapacityBenchmark} with ConcurrentHashMaps, the agent's worst ordinary case:
 * every operation builds a map whose table grows from 2,048 to 4,096 slots (at its 1,536th put,
 * {@code transfer} replaces the table), so with the agent every map is tracked (its site captured
 * from the stack, a record added to the side table and removed again after the map is collected).
 *
 * <p>One operation builds a map of 1,537 entries and drops it. The two-thread variant runs it on
 * two threads at once, each building its own maps: what they share is the agent's side table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConcurrentGrowPastMinCapacityBenchmark extends AgentAware {

    private static final Object VALUE = new Object();

    private Integer[] keys;

    @Setup(Level.Trial)
    public void makeKeys() {
        keys = Keys.shuffled(GrowPastMinCapacityBenchmark.ENTRIES, 4);
    }

    @Benchmark
    public int growAndDiscard() {
        return grow();
    }

    @Benchmark
    @Threads(2)
    public int growAndDiscardTwoThreads() {
        return grow();
    }

    private int grow() {
        ConcurrentHashMap<Integer, Object> map = new ConcurrentHashMap<>();
        for (Integer key : keys) {
            map.put(key, VALUE);
        }
        return map.size();
    }
}
