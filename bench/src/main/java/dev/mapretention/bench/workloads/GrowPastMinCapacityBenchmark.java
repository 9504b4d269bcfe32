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
 * The agent's worst ordinary case: many maps that grow just past the default
 * {@code minCapacity} (4096 slots) and are dropped. With the agent each one is tracked: its site
 * is captured from the stack, a record is added to the side table, and removed again after the
 * map is collected.
 *
 * <p>One operation builds a map of 1,537 entries (the 1,537th put grows the table from 2,048 to
 * 4,096 slots) and drops it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GrowPastMinCapacityBenchmark extends AgentAware {

    /** One more than 1,536, the threshold of a 2,048-slot table. */
    static final int ENTRIES = 1_537;
    private static final Object VALUE = new Object();

    private Integer[] keys;

    @Setup(Level.Trial)
    public void makeKeys() {
        keys = Keys.shuffled(ENTRIES, 4);
    }

    @Benchmark
    public int growAndDiscard() {
        HashMap<Integer, Object> map = new HashMap<>();
        for (Integer key : keys) {
            map.put(key, VALUE);
        }
        return map.size();
    }
}
