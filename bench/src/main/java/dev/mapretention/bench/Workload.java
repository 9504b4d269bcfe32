package dev.mapretention.bench;

import dev.mapretention.bench.workloads.ConcurrentDrainedMapChurnBenchmark;
import dev.mapretention.bench.workloads.ConcurrentGrowPastMinCapacityBenchmark;
import dev.mapretention.bench.workloads.ConcurrentLargeMapMixBenchmark;
import dev.mapretention.bench.workloads.ConcurrentSmallMapsBenchmark;
import dev.mapretention.bench.workloads.DrainedMapChurnBenchmark;
import dev.mapretention.bench.workloads.FillAndDrainMillionBenchmark;
import dev.mapretention.bench.workloads.GrowPastMinCapacityBenchmark;
import dev.mapretention.bench.workloads.LargeMapMixBenchmark;
import dev.mapretention.bench.workloads.SmallMapsBenchmark;

import java.util.regex.Pattern;

/**
 * The benchmarks the runner compares, each one benchmark method with the issues' target ratio
 * (agent / no agent): the HashMap rows (issue 14), then the ConcurrentHashMap rows on one thread
 * and on two threads sharing the map (issue 10).
 */
enum Workload {
    SMALL_MAPS(SmallMapsBenchmark.class, "buildReadDiscard", 1.02),
    LARGE_MAP_MIX(LargeMapMixBenchmark.class, "getPutRemove", 1.02),
    DRAINED_MAP_CHURN(DrainedMapChurnBenchmark.class, "removePutGet", 1.05),
    FILL_AND_DRAIN_MILLION(FillAndDrainMillionBenchmark.class, "fillAndDrain", 1.05),
    GROW_PAST_MIN_CAPACITY(GrowPastMinCapacityBenchmark.class, "growAndDiscard", 1.15),
    CHM_SMALL_MAPS(ConcurrentSmallMapsBenchmark.class, "buildReadDiscard", 1.02),
    CHM_SMALL_MAPS_2T(ConcurrentSmallMapsBenchmark.class, "buildReadDiscardTwoThreads", 1.02),
    CHM_LARGE_MAP_MIX(ConcurrentLargeMapMixBenchmark.class, "getPutRemove", 1.02),
    CHM_LARGE_MAP_MIX_2T(ConcurrentLargeMapMixBenchmark.class, "getPutRemoveTwoThreads", 1.02),
    CHM_DRAINED_MAP_CHURN(ConcurrentDrainedMapChurnBenchmark.class, "removePutGet", 1.05),
    CHM_DRAINED_MAP_CHURN_2T(ConcurrentDrainedMapChurnBenchmark.class, "removePutGetTwoThreads", 1.05),
    CHM_GROW_PAST_MIN_CAPACITY(ConcurrentGrowPastMinCapacityBenchmark.class, "growAndDiscard", 1.30),
    CHM_GROW_PAST_MIN_CAPACITY_2T(ConcurrentGrowPastMinCapacityBenchmark.class, "growAndDiscardTwoThreads", 1.30);

    private final Class<?> benchmarkClass;
    private final String method;
    private final double target;

    Workload(Class<?> benchmarkClass, String method, double target) {
        this.benchmarkClass = benchmarkClass;
        this.method = method;
        this.target = target;
    }

    /** The JMH include pattern selecting this one benchmark method. */
    String includePattern() {
        return "^" + Pattern.quote(benchmarkClass.getName() + "." + method) + "$";
    }

    /** The class's simple name and the method, e.g. {@code SmallMapsBenchmark.buildReadDiscard}; what --only matches. */
    String simpleName() {
        return benchmarkClass.getSimpleName() + "." + method;
    }

    double target() {
        return target;
    }
}
