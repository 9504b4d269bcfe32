package dev.mapretention.agent.boot;

/**
 * Called by the code put into {@code java.util.concurrent.ConcurrentHashMap} (and so its key-set
 * views and {@code Properties}), only where a table is allocated or replaced and at the start of
 * {@code clear}: never on {@code get}, {@code put} or {@code remove}. A ConcurrentHashMap has no
 * size field (its size is a sum over counter cells), so a drain by removals is left to the
 * agent's scanner; these hooks pass what the event itself says of the size.
 */
public final class ConcurrentHashMapHooks {

    /** The size passed for a table that replaced a full one: whatever it is, not sparse. */
    private static final int FULL = Integer.MAX_VALUE;

    private ConcurrentHashMapHooks() {
    }

    /**
     * {@code initTable} and {@code tryPresize} return: a map's first table, sized for what it is
     * expected to hold and holding nothing yet.
     *
     * @param table the map's table (for initTable the value it returns, hence first)
     */
    @jdk.internal.vm.annotation.Hidden
    public static void created(Object[] table, Object map) {
        if (table != null && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.CONCURRENT_HASH_MAP, TrackingState.RESIZED, map, 0, table.length);
        }
    }

    /**
     * {@code transfer} returns, on every thread that helped: the thread that finished it has just
     * replaced the table with one twice as long, because the map filled the old one.
     */
    @jdk.internal.vm.annotation.Hidden
    public static void grown(Object map, Object[] table) {
        if (table != null && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.CONCURRENT_HASH_MAP, TrackingState.RESIZED, map, FULL, table.length);
        }
    }

    /** {@code clear} starts: the map is about to drain, keeping its table. */
    @jdk.internal.vm.annotation.Hidden
    public static void clearing(Object map, Object[] table) {
        if (table != null && table.length >= MapTracker.minCapacity) {
            MapTracker.slowPath(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, table.length);
        }
    }
}
