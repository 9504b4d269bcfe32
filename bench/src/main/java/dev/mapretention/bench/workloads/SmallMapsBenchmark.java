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
 * The common case: short-lived small maps (10 to 100 entries), built, read and dropped. None of
 * them reaches {@code minCapacity}, so with the agent each pays only the advice's fast path in
 * {@code resize} (a length compare), never the tracker.
 *
 * <p>One operation builds ten maps, of 10, 20, ... 100 entries (550 puts and 550 gets).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SmallMapsBenchmark extends AgentAware {

    private static final Object VALUE = new Object();

    private Integer[] keys;

    @Setup(Level.Trial)
    public void makeKeys() {
        keys = Keys.shuffled(100, 1);
    }

    @Benchmark
    public int buildReadDiscard() {
        int found = 0;
        for (int entries = 10; entries <= 100; entries += 10) {
            HashMap<Integer, Object> map = new HashMap<>();
            for (int i = 0; i < entries; i++) {
                map.put(keys[i], VALUE);
            }
            for (int i = 0; i < entries; i++) {
                if (map.get(keys[i]) != null) {
                    found++;
                }
            }
        }
        return found;
    }
}
