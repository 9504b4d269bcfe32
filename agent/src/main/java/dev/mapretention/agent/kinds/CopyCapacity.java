package dev.mapretention.agent.kinds;

/**
 * The table length that {@code new HashMap<>(map)} allocates for a map of a given size on this
 * JDK: the sizing rule changed in JDK 19 (JDK-8281631), and the waste is measured against what
 * the remedy really gives.
 */
final class CopyCapacity {

    private static final int MAXIMUM_CAPACITY = 1 << 30;
    private static final boolean CEILING_RULE = Runtime.version().feature() >= 19;

    private CopyCapacity() {
    }

    /** The copy's table length, or 0 for an empty map (a copy of it allocates no table). */
    static int of(int size) {
        return of(size, CEILING_RULE);
    }

    static int of(int size, boolean ceilingRule) {
        if (size <= 0) {
            return 0;
        }
        int wanted;
        if (ceilingRule) {
            double dt = Math.ceil(size / 0.75d);
            wanted = dt < MAXIMUM_CAPACITY ? (int) dt : MAXIMUM_CAPACITY;
        } else {
            float ft = ((float) size / 0.75f) + 1.0f;
            wanted = ft < (float) MAXIMUM_CAPACITY ? (int) ft : MAXIMUM_CAPACITY;
        }
        return tableSizeFor(wanted);
    }

    /** HashMap's own rounding: the smallest power of two at least {@code cap}. */
    private static int tableSizeFor(int cap) {
        int n = -1 >>> Integer.numberOfLeadingZeros(cap - 1);
        return (n < 0) ? 1 : (n >= MAXIMUM_CAPACITY) ? MAXIMUM_CAPACITY : n + 1;
    }
}
