package dev.mapretention.agent.boot;

/**
 * The entry points that the code put into {@code java.util.HashMap} calls.
 *
 * <p>This class is loaded by the boot class loader, because HashMap's own code calls it. Every
 * method here runs inside a HashMap operation of the application, so each one:
 * <ul>
 *   <li>decides on its fast path, with a couple of loads and compares, whether there is anything
 *       to do, so that C2 still inlines {@code removeNode} into hot callers;</li>
 *   <li>never throws: the slow path catches every {@code Throwable}, counts it and, after
 *       repeated failures, switches tracking off;</li>
 *   <li>never re-enters itself: a per-thread depth guard makes any HashMap that the tracker's own
 *       work touches (the stack walker's, say) a no-op for the tracker.</li>
 * </ul>
 * No HashMap-family class, lambda or {@code invokedynamic} is used in this package.
 */
public final class MapTracker {

    /** A value {@code size} never takes: the edge of a capacity that is not tracked. */
    static final int NEVER = Integer.MIN_VALUE;

    /**
     * For each capacity {@code 1 << k}: the size a map reaches when it has just become sparse
     * (one below the sparse limit), or {@link #NEVER} when that capacity is not tracked.
     * The array is written only by {@link #install} and {@link #uninstall}.
     */
    private static final int[] SPARSE_EDGE = newDisabledEdges();

    /** Smallest tracked table length; {@code Integer.MAX_VALUE} while not installed. */
    private static int minCapacity = Integer.MAX_VALUE;

    private static volatile TrackingState state;

    private static final CallDepth DEPTH = new CallDepth();

    private MapTracker() {
    }

    /**
     * Called when {@code HashMap.resize} returns. Starts tracking a map whose table has just
     * reached the minimum capacity.
     *
     * @param table its new table (the value resize returns, hence first)
     * @param map   the resized HashMap (or LinkedHashMap, or a user subclass)
     * @param size  its size field at return
     */
    public static void resized(Object[] table, Object map, int size) {
        if (table != null && table.length >= minCapacity) {
            slowPath(TrackingState.RESIZED, map, size, table);
        }
    }

    /**
     * Called when {@code HashMap.removeNode} returns. Acts only on the edge: when this removal
     * made a tracked-size map sparse.
     */
    public static void removed(Object map, int size, Object[] table) {
        if (table != null && size == SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length)]) {
            slowPath(TrackingState.DRAINED, map, size, table);
        }
    }

    /**
     * Called when {@code HashMap.clear} starts. Acts only when the map is not sparse yet: the
     * clear is about to drain it.
     *
     * @param sizeBefore the size the map has before the clear
     */
    public static void clearing(Object map, int sizeBefore, Object[] table) {
        if (table != null && sizeBefore > SPARSE_EDGE[Integer.numberOfTrailingZeros(table.length)]
                && table.length >= minCapacity) {
            slowPath(TrackingState.DRAINED, map, 0, table);
        }
    }

    private static void slowPath(int event, Object map, int size, Object[] table) {
        TrackingState current = state;
        if (current == null) {
            return;
        }
        int[] depth = DEPTH.get();
        if (depth[0] != 0) {
            return;
        }
        depth[0] = 1;
        try {
            current.onEvent(event, map, size, table);
        } catch (Throwable failure) {
            if (current.recordFailure(failure)) {
                disable(current);
            }
        } finally {
            depth[0] = 0;
        }
    }

    /**
     * Makes the tracker live: from now on, maps reaching {@code state}'s minimum capacity are
     * tracked in {@code state}.
     */
    public static synchronized void install(TrackingState newState) {
        state = newState;
        int[] edges = newState.sparseEdges();
        System.arraycopy(edges, 0, SPARSE_EDGE, 0, SPARSE_EDGE.length);
        minCapacity = newState.settings().minCapacity();
    }

    /** Stops all tracking; the calls in HashMap become a few loads and compares that find nothing to do. */
    public static synchronized void uninstall() {
        minCapacity = Integer.MAX_VALUE;
        System.arraycopy(newDisabledEdges(), 0, SPARSE_EDGE, 0, SPARSE_EDGE.length);
        state = null;
    }

    private static synchronized void disable(TrackingState failed) {
        if (state == failed) {
            uninstall();
            failed.markDisabled();
        }
    }

    /** The live tracking state, or null when the tracker is not installed. */
    public static TrackingState state() {
        return state;
    }

    /**
     * Marks the calling thread as the agent's own for as long as it lives: maps it grows or
     * drains are not tracked. Used by the scanner, whose report building may use HashMaps.
     */
    public static void ignoreCurrentThread() {
        DEPTH.get()[0] = 1;
    }

    private static int[] newDisabledEdges() {
        int[] edges = new int[32];
        java.util.Arrays.fill(edges, NEVER);
        return edges;
    }

    /** Per-thread re-entry guard; a subclass rather than {@code withInitial}, which needs a lambda. */
    private static final class CallDepth extends ThreadLocal<int[]> {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    }
}
