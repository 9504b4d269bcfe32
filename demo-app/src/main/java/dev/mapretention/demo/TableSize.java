package dev.mapretention.demo;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a HashMap table of a given length occupies in this JVM: its shallow size (4- or 8-byte
 * references), and, under G1, the whole regions G1 keeps an array that large in.
 */
final class TableSize {

    /** An array's header with compressed class pointers (12 with compact object headers: same rounding). */
    private static final long ARRAY_HEADER = 16;

    private TableSize() {
    }

    /**
     * The table's slots and bytes ("2,097,152 slots of 4-byte references: 8.0 MiB."), and under G1,
     * when the array is humongous, what the heap figures count for it: whole regions.
     */
    static String explain(int slots) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            int reference = Boolean.parseBoolean(hotspot.getVMOption("UseCompressedOops").getValue()) ? 4 : 8;
            long bytes = ARRAY_HEADER + (long) slots * reference;
            String table = String.format(Locale.ROOT, "%,d slots of %d-byte references: %.1f MiB.",
                    slots, reference, bytes / MIB);
            if (!usesG1()) {
                return table;
            }
            long region = Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
            if (region <= 0 || bytes < region / 2) {
                return table;
            }
            long regions = (bytes + region - 1) / region;
            return table + String.format(Locale.ROOT, "%n  (G1 rounds an array that large up to whole %.0f MiB heap"
                    + " regions, so the heap figures above count it as %.1f MiB.)", region / MIB, regions * region / MIB);
        } catch (RuntimeException | LinkageError e) {
            return String.format(Locale.ROOT, "%,d slots of references.", slots);
        }
    }

    private static final double MIB = 1024.0 * 1024.0;

    private static boolean usesG1() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().startsWith("G1 ")) {
                return true;
            }
        }
        return false;
    }
}
