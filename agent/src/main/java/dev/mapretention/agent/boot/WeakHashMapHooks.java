package dev.mapretention.agent.boot;

/**
 * Called by the code put into {@code java.util.WeakHashMap}: at the return of {@code newTable}
 * (its constructors and {@code resize} allocate through it), of {@code remove(Object)} and
 * {@code removeMapping}, and at the start of {@code clear}. Entries whose keys were collected
 * leave the size field only when the map is next touched, so a drain by the collector is left to
 * the agent's scanner, which counts the live entries itself.
 */
public final class WeakHashMapHooks {

    private WeakHashMapHooks() {
    }

    /**
     * {@code newTable} returns.
     *
     * @param table the new table (the value newTable returns, hence first)
     * @param size  the map's size field: 0 in a constructor, at the threshold in a resize
     */
    @jdk.internal.vm.annotation.Hidden
    public static void sized(Object[] table, Object map, int size) {
        if (table != null && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.WEAK_HASH_MAP, TrackingState.RESIZED, map, size, table.length);
        }
    }

    /** {@code remove(Object)} and {@code removeMapping} return: acts only on the sparse edge. */
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
        if (table != null && size == MapTracker.SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length)]) {
            MapTracker.slowPath(MapKinds.WEAK_HASH_MAP, TrackingState.DRAINED, map, size, table.length);
        }
    }

    /** {@code clear()} starts: acts only when the map is not sparse yet. */
    @jdk.internal.vm.annotation.Hidden
    public static void clearing(Object map, int sizeBefore, Object[] table) {
        if (table != null && sizeBefore > MapTracker.SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length)]
                && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.WEAK_HASH_MAP, TrackingState.DRAINED, map, 0, table.length);
        }
    }
}
