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
 * One big map's whole life: filled to 1,000,000 entries (resizing up to 2^21 slots, each resize
 * past 4,096 slots passing the advice) and drained key by key (a million removes, one of which
 * crosses the sparse edge and calls the tracker).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FillAndDrainMillionBenchmark extends AgentAware {

    private static final int ENTRIES = 1_000_000;
    private static final Object VALUE = new Object();

    private Integer[] keys;

    @Setup(Level.Trial)
    public void makeKeys() {
        keys = Keys.shuffled(ENTRIES, 5);
    }

    @Benchmark
    public int fillAndDrain() {
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
