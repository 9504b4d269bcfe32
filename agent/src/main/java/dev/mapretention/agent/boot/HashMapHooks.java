package dev.mapretention.agent.boot;

/**
 * Called by the code put into {@code java.util.HashMap} (and so LinkedHashMap, HashSet and
 * LinkedHashSet): at the returns of {@code resize} and {@code removeNode}, and at the start of
 * {@code clear}. Each method runs inside the application's map operation: its fast path is a few
 * loads and compares (so that C2 still inlines {@code removeNode}, 315 of its 325 bytes, into hot
 * callers), and only the edge it looks for reaches the guarded {@link MapTracker#slowPath}.
 */
public final class HashMapHooks {

    private HashMapHooks() {
    }

    /**
     * {@code resize} returns: starts tracking a map whose table has just reached the minimum
     * capacity.
     *
     * @param table its new table (the value resize returns, hence first)
     * @param map   the resized map
     * @param size  its size field at return
     */
    @jdk.internal.vm.annotation.Hidden
    public static void resized(Object[] table, Object map, int size) {
        if (table != null && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.HASH_MAP, TrackingState.RESIZED, map, size, table.length);
        }
    }

    /**
     * {@code removeNode} returns: acts only when this removal made a tracked-size map sparse. The
     * first test reads the size only; the table only when the size is some capacity's edge.
     */
    @jdk.internal.vm.annotation.Hidden
    public static void removed(Object map, int size, Object[] table) {
        if (MapTracker.mayBeSparseEdge(size)) {
            removedAtAnEdge(map, size, table);
        }
    }

    @jdk.internal.vm.annotation.DontInline
    @jdk.internal.vm.annotation.Hidden
    private static void removedAtAnEdge(Object map, int size, Object[] table) {
        if (table != null && size == MapTracker.SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length)]) {
            MapTracker.slowPath(MapKinds.HASH_MAP, TrackingState.DRAINED, map, size, table.length);
        }
    }

    /**
     * {@code clear} starts: acts only when the map is not sparse yet, since the clear is about to
     * drain it.
     *
     * @param sizeBefore the size the map has before the clear
     */
    @jdk.internal.vm.annotation.Hidden
    public static void clearing(Object map, int sizeBefore, Object[] table) {
        if (table != null && sizeBefore > MapTracker.SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length)]
                && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.HASH_MAP, TrackingState.DRAINED, map, 0, table.length);
        }
    }
}
