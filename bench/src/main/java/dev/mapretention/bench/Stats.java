package dev.mapretention.bench;

import java.util.Arrays;

/** Order statistics of a sample: median and quartiles by linear interpolation. */
public final class Stats {

    private final double[] sorted;

    public Stats(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        this.sorted = values.clone();
        Arrays.sort(this.sorted);
    }

    /** The {@code p}-quantile, {@code 0 <= p <= 1}, interpolated between the nearest values. */
    public double quantile(double p) {
        double index = p * (sorted.length - 1);
        int below = (int) Math.floor(index);
        int above = (int) Math.ceil(index);
        return sorted[below] + (sorted[above] - sorted[below]) * (index - below);
    }

    public double median() {
        return quantile(0.5);
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }

    /**
     * Whether this sample of paired differences (ms added by the agent, say) places the target:
     * "ok" when at least three pairs in four are at or under it, "OVER" when three in four are
     * above it, else "not conclusive" (the target lies between the quartiles: the sample's spread
     * is wider than the distance to the target).
     */
    public String verdict(double target) {
        if (quantile(0.75) <= target) {
            return "ok";
        }
        if (quantile(0.25) > target) {
            return "OVER";
        }
        return "not conclusive (the target lies between the quartiles)";
    }

    /** {@code median [p25..p75] (min..max)}, in the given format for each number. */
    public String summary(String format) {
        return String.format(java.util.Locale.ROOT, format + " [" + format + " .. " + format + "] (min " + format
                + ", max " + format + ")", median(), quantile(0.25), quantile(0.75), min(), max());
    }
}
