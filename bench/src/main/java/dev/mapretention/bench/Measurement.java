package dev.mapretention.bench;

import org.openjdk.jmh.util.ListStatistics;

import java.util.ArrayList;
import java.util.List;

/**
 * The scores of one benchmark in one variant (with or without the agent), over all its forks:
 * the mean of all measurement iterations with JMH's 99.9% confidence half-width (what JMH itself
 * prints as {@code Score ± Error}), and each fork's own mean, for the median over forks.
 */
public final class Measurement {

    /** JMH's confidence level for {@code Score Error}. */
    static final double CONFIDENCE = 0.999;

    private final List<double[]> forks = new ArrayList<>();
    private final List<Double> allocPerOp = new ArrayList<>();

    /** Adds one fork's measurement iteration scores. */
    public void addFork(double[] iterationScores) {
        if (iterationScores.length == 0) {
            throw new IllegalArgumentException("a fork without measurement iterations");
        }
        forks.add(iterationScores.clone());
    }

    /** Adds one fork's allocation per operation ({@code -prof gc}'s gc.alloc.rate.norm), in bytes. */
    void addAllocPerOp(double bytes) {
        allocPerOp.add(bytes);
    }

    public int forkCount() {
        return forks.size();
    }

    private ListStatistics all() {
        ListStatistics stats = new ListStatistics();
        for (double[] fork : forks) {
            for (double score : fork) {
                stats.addValue(score);
            }
        }
        return stats;
    }

    /** The mean over every iteration of every fork. */
    public double mean() {
        return all().getMean();
    }

    /** The 99.9% confidence half-width of {@link #mean()}; NaN with a single iteration. */
    public double error() {
        ListStatistics stats = all();
        return stats.getN() > 1 ? stats.getMeanErrorAt(CONFIDENCE) : Double.NaN;
    }

    /** Each fork's mean score, in run order. */
    public double[] forkMeans() {
        double[] means = new double[forks.size()];
        for (int i = 0; i < means.length; i++) {
            double sum = 0;
            for (double score : forks.get(i)) {
                sum += score;
            }
            means[i] = sum / forks.get(i).length;
        }
        return means;
    }

    /** The median of every measurement iteration of every fork: robust to a few disturbed iterations. */
    public double iterationMedian() {
        List<Double> all = new ArrayList<>();
        for (double[] fork : forks) {
            for (double score : fork) {
                all.add(score);
            }
        }
        double[] values = new double[all.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = all.get(i);
        }
        return new Stats(values).median();
    }

    /** The median of the forks' means. */
    public double medianOfForks() {
        return new Stats(forkMeans()).median();
    }

    /** Mean allocation per operation over the forks, in bytes, or NaN when not profiled. */
    public double allocPerOp() {
        if (allocPerOp.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (double bytes : allocPerOp) {
            sum += bytes;
        }
        return sum / allocPerOp.size();
    }
}
