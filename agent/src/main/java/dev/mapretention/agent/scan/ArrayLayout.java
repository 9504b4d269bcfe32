package dev.mapretention.agent.scan;

import java.lang.instrument.Instrumentation;

/**
 * The shallow sizes of reference arrays (a map's table) on this JVM, measured with
 * {@link Instrumentation#getObjectSize}, so that header size, reference size (compressed or not)
 * and alignment are this JVM's own, compact object headers included. Any length: Hashtable's
 * tables are {@code 2n+1} slots long.
 */
public final class ArrayLayout {

    /** Lengths measured to find the layout: enough to cover any alignment up to 256 bytes. */
    private static final int MEASURED = 64;

    private final long header;
    private final long referenceSize;
    private final long alignment;

    private ArrayLayout(long header, long referenceSize, long alignment) {
        this.header = header;
        this.referenceSize = referenceSize;
        this.alignment = alignment;
    }

    /** A given layout (16-byte headers and compressed references: {@code of(16, 4, 8)}), for unit tests. */
    static ArrayLayout of(long header, long referenceSize, long alignment) {
        return new ArrayLayout(header, referenceSize, alignment);
    }

    /** Measures this JVM's array layout. */
    public static ArrayLayout measure(Instrumentation instrumentation) {
        long[] sizes = new long[MEASURED + 1];
        for (int n = 0; n <= MEASURED; n++) {
            sizes[n] = instrumentation.getObjectSize(new Object[n]);
        }
        long reference = (instrumentation.getObjectSize(new Object[1 << 12])
                - instrumentation.getObjectSize(new Object[1 << 11])) >> 11;
        for (long alignment = 8; alignment <= 256; alignment <<= 1) {
            for (long header = 8; header <= sizes[0]; header += 4) {
                ArrayLayout candidate = new ArrayLayout(header, reference, alignment);
                if (candidate.fits(sizes)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no array layout fits the measured sizes of this JVM");
    }

    private boolean fits(long[] sizes) {
        for (int n = 0; n < sizes.length; n++) {
            if (arrayBytes(n) != sizes[n]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of a reference in an array: 4 with compressed references, 8 without. */
    public long referenceSize() {
        return referenceSize;
    }

    /** The shallow size of a reference array of {@code length} slots. */
    public long arrayBytes(long length) {
        long raw = header + length * referenceSize;
        return (raw + alignment - 1) / alignment * alignment;
    }

    /** The shallow size of a table of {@code length} slots, or 0 for no table. */
    public long tableBytes(int length) {
        return length <= 0 ? 0 : arrayBytes(length);
    }
}
