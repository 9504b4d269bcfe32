package dev.mapretention.agent.scan;

import java.lang.instrument.Instrumentation;

/**
 * The shallow sizes of {@code Object[]} tables on this JVM, measured with
 * {@link Instrumentation#getObjectSize}, so that header size, reference size (compressed or not)
 * and alignment are this JVM's own, compact object headers included.
 */
public final class ArrayLayout {

    /** Lengths up to {@code 1 << MEASURED_LOG2} are measured directly; longer ones extrapolated. */
    private static final int MEASURED_LOG2 = 12;

    private final long[] sizeByLog2 = new long[32];
    private final long referenceSize;

    private ArrayLayout(Instrumentation instrumentation) {
        for (int k = 0; k <= MEASURED_LOG2; k++) {
            sizeByLog2[k] = instrumentation.getObjectSize(new Object[1 << k]);
        }
        referenceSize = (sizeByLog2[MEASURED_LOG2] - sizeByLog2[MEASURED_LOG2 - 1]) >> (MEASURED_LOG2 - 1);
        // 2^12 references are a multiple of any object alignment, so the rest grows linearly.
        for (int k = MEASURED_LOG2 + 1; k < 32; k++) {
            sizeByLog2[k] = sizeByLog2[MEASURED_LOG2] + ((1L << k) - (1L << MEASURED_LOG2)) * referenceSize;
        }
    }

    /** Measures this JVM's array layout. */
    public static ArrayLayout measure(Instrumentation instrumentation) {
        return new ArrayLayout(instrumentation);
    }

    /** The bytes of a reference in an array: 4 with compressed references, 8 without. */
    public long referenceSize() {
        return referenceSize;
    }

    /** The shallow size of an {@code Object[]} whose length is a power of two (or 0: no table). */
    public long tableBytes(int length) {
        if (length <= 0) {
            return 0;
        }
        return sizeByLog2[Integer.numberOfTrailingZeros(Integer.highestOneBit(length))];
    }

    /**
     * The bytes a map of {@code capacity} slots and {@code size} entries wastes: its table minus
     * the table a fresh {@code new HashMap<>(map)} copy would allocate (none for an empty map).
     */
    public long wastedBytes(int capacity, int size) {
        return Math.max(0, tableBytes(capacity) - tableBytes(CopyCapacity.of(size)));
    }
}
