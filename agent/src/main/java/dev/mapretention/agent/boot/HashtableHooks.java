package dev.mapretention.agent.boot;

/**
 * Called by the code put into {@code java.util.Hashtable}: at the returns of its sizing
 * constructor and of {@code rehash}, and at the start of {@code clear}. A Hashtable's lengths
 * are {@code 2n+1} (11, 23, 47, ...), so the sparse edge is computed rather than looked up; it
 * runs inside the table's monitor, and stays a few instructions long.
 */
public final class HashtableHooks {

    private HashtableHooks() {
    }

    /** {@code Hashtable(int, float)} and {@code rehash()} return: the table was allocated or replaced. */
    @jdk.internal.vm.annotation.Hidden
    public static void sized(Object map, int count, Object[] table) {
        if (table != null && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.HASHTABLE, TrackingState.RESIZED, map, count, table.length);
        }
    }

    /** {@code clear()} starts: acts only when the table is not sparse yet. */
    @jdk.internal.vm.annotation.Hidden
    public static void clearing(Object map, int countBefore, Object[] table) {
        if (table != null && table.length >= MapTracker.minCapacity && countBefore > MapTracker.sparseEdge(table.length)) {
            MapTracker.slowPath(MapKinds.HASHTABLE, TrackingState.DRAINED, map, 0, table.length);
        }
    }
}
