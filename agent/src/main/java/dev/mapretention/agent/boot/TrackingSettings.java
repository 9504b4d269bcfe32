package dev.mapretention.agent.boot;

/**
 * The settings the tracker needs, already validated by the agent: the smallest tracked table
 * length, the sparse fill ratio, the caps on tracked maps, distinct sites and frames per site, and
 * whether the agent was loaded into a running JVM (so that maps may have grown before it could
 * see them).
 */
public final class TrackingSettings {

    private final int minCapacity;
    private final double sparseFill;
    private final int maxTrackedMaps;
    private final int maxSites;
    private final int siteDepth;
    private final boolean lateAttach;
    private final boolean injectFailures;

    // Not a record: a record's equals/hashCode/toString are invokedynamic, banned in this package.
    public TrackingSettings(int minCapacity, double sparseFill, int maxTrackedMaps, int maxSites,
                            int siteDepth, boolean lateAttach, boolean injectFailures) {
        this.minCapacity = minCapacity;
        this.sparseFill = sparseFill;
        this.maxTrackedMaps = maxTrackedMaps;
        this.maxSites = maxSites;
        this.siteDepth = siteDepth;
        this.lateAttach = lateAttach;
        this.injectFailures = injectFailures;
    }

    public int minCapacity() {
        return minCapacity;
    }

    public double sparseFill() {
        return sparseFill;
    }

    public int maxTrackedMaps() {
        return maxTrackedMaps;
    }

    public int maxSites() {
        return maxSites;
    }

    public int siteDepth() {
        return siteDepth;
    }

    public boolean lateAttach() {
        return lateAttach;
    }

    /**
     * For tests only: every tracker event throws, to prove that failures stay inside the tracker
     * (set with the system property {@code dev.mapretention.test.injectTrackerFailures=true}).
     */
    public boolean injectFailures() {
        return injectFailures;
    }

    /** The number of entries below which a table of {@code capacity} slots is sparse. */
    public long sparseLimit(long capacity) {
        return (long) Math.ceil(capacity * sparseFill);
    }

    /** True when a map of this size and capacity is sparse. */
    public boolean isSparse(int size, int capacity) {
        return size < sparseLimit(capacity);
    }
}
