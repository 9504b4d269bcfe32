package dev.mapretention.bench;

import dev.mapretention.bench.workloads.DrainedMapChurnBenchmark;
import dev.mapretention.bench.workloads.FillAndDrainMillionBenchmark;
import dev.mapretention.bench.workloads.GrowPastMinCapacityBenchmark;
import dev.mapretention.bench.workloads.LargeMapMixBenchmark;
import dev.mapretention.bench.workloads.SmallMapsBenchmark;

/** The benchmarks the runner compares, each with the target ratio (agent / no agent). */
enum Workload {
    SMALL_MAPS(SmallMapsBenchmark.class, 1.02),
    LARGE_MAP_MIX(LargeMapMixBenchmark.class, 1.02),
    DRAINED_MAP_CHURN(DrainedMapChurnBenchmark.class, 1.05),
    FILL_AND_DRAIN_MILLION(FillAndDrainMillionBenchmark.class, 1.05),
    GROW_PAST_MIN_CAPACITY(GrowPastMinCapacityBenchmark.class, 1.10);

    private final Class<?> benchmarkClass;
    private final double target;

    Workload(Class<?> benchmarkClass, double target) {
        this.benchmarkClass = benchmarkClass;
        this.target = target;
    }

    /** The JMH include pattern selecting this class's benchmarks only. */
    String includePattern() {
        return "^" + java.util.regex.Pattern.quote(benchmarkClass.getName()) + "\\.";
    }

    String simpleName() {
        return benchmarkClass.getSimpleName();
    }

    double target() {
        return target;
    }
}
