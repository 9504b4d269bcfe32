package dev.mapretention.agent.boot;

/**
 * Called by the code put into {@code java.util.IdentityHashMap}: at the returns of {@code init}
 * and {@code resize} (where its table is allocated), and at the start of {@code closeDeletion}
 * (after a removal) and of {@code clear}. Its table interleaves keys and
 * values, so its capacity (key slots) is half the table's length.
 */
public final class IdentityHashMapHooks {

    private IdentityHashMapHooks() {
    }

    /** {@code init} and {@code resize} return: the table was allocated or replaced. */
    @jdk.internal.vm.annotation.Hidden
    public static void sized(Object map, int size, Object[] table) {
        if (table != null && (table.length >>> 1) >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.IDENTITY_HASH_MAP, TrackingState.RESIZED, map, size, table.length >>> 1);
        }
    }

    /** {@code closeDeletion} starts, just after a removal: acts only on the sparse edge. */
    @jdk.internal.vm.annotation.Hidden
    public static void removed(Object map, int size, Object[] table) {
        // The size alone first (MapTracker.mayBeSparseEdge); the table only at an edge.
        if (MapTracker.mayBeSparseEdge(size)) {
            removedAtAnEdge(map, size, table);
        }
    }

    @jdk.internal.vm.annotation.DontInline
    @jdk.internal.vm.annotation.Hidden
    private static void removedAtAnEdge(Object map, int size, Object[] table) {
        if (table != null && size == MapTracker.SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length) - 1]) {
            MapTracker.slowPath(MapKinds.IDENTITY_HASH_MAP, TrackingState.DRAINED, map, size, table.length >>> 1);
        }
    }

    /** {@code clear()} starts: acts only when the map is not sparse yet. */
    @jdk.internal.vm.annotation.Hidden
    public static void clearing(Object map, int sizeBefore, Object[] table) {
        if (table != null && (table.length >>> 1) >= MapTracker.minCapacity
                && sizeBefore > MapTracker.SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length) - 1]) {
            MapTracker.slowPath(MapKinds.IDENTITY_HASH_MAP, TrackingState.DRAINED, map, 0, table.length >>> 1);
        }
    }
}
