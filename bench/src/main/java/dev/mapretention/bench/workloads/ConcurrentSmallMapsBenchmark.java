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
 * {@link SmallMapsBenchmark} with ConcurrentHashMaps: short-lived maps of 10 to 100 entries,
 * built, read and dropped. None reaches {@code minCapacity}, so with the agent each pays only the
 * hooks' length compares in {@code initTable} and {@code transfer}, never the tracker.
 *
 * <p>One operation builds ten maps, of 10, 20, ... 100 entries (550 puts and 550 gets). The
 * two-thread variant runs it on two threads at once, each building its own maps (what they share
 * is the JVM and, with the agent, the hooks' fields).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConcurrentSmallMapsBenchmark extends AgentAware {

    private static final Object VALUE = new Object();

    private Integer[] keys;

    @Setup(Level.Trial)
    public void makeKeys() {
        keys = Keys.shuffled(100, 1);
    }

    @Benchmark
    public int buildReadDiscard() {
        return buildTen();
    }

    @Benchmark
    @Threads(2)
    public int buildReadDiscardTwoThreads() {
        return buildTen();
    }

    private int buildTen() {
        int found = 0;
        for (int entries = 10; entries <= 100; entries += 10) {
            ConcurrentHashMap<Integer, Object> map = new ConcurrentHashMap<>();
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
