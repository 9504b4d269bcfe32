package dev.mapretention.agent.boot;

/**
 * The tracker that the hooks put into the JDK's hash maps call: one per JVM, shared by the hook
 * classes of every kind ({@link HashMapHooks}, {@link ConcurrentHashMapHooks},
 * {@link HashtableHooks}, {@link IdentityHashMapHooks}, {@link WeakHashMapHooks}).
 *
 * <p>This class is loaded by the boot class loader, because java.util's own code calls it. The
 * hooks decide on their fast path, with a couple of loads and compares, whether there is
 * anything to do; only then do they call {@link #slowPath}, which:
 * <ul>
 *   <li>never throws: it catches every {@code Throwable}, counts it and, after repeated
 *       failures, switches tracking off;</li>
 *   <li>never re-enters itself: a per-thread depth guard makes any map that the tracker's own
 *       work touches a no-op for the tracker. The same guard marks the agent's own threads and
 *       the application threads while they run agent code (a JMX read of the report), so the
 *       agent's maps are never tracked, whatever their type.</li>
 * </ul>
 * Nothing here is public but what the hooks call, {@link #isInstalled} and {@link #claim}: the
 * control over tracking (and the tracked maps) goes only to the one agent that claimed it. No
 * HashMap-family class, lambda or {@code invokedynamic} is used in this package.
 */
public final class MapTracker {

    /** A value a size never takes: the edge of a capacity that is not tracked. */
    static final int NEVER = Integer.MIN_VALUE;

    /**
     * For each capacity {@code 1 << k}: the size a map reaches when it has just become sparse
     * (one below the sparse limit), or {@link #NEVER} when that capacity is not tracked. Read by
     * the hooks of the kinds whose capacities are powers of two; written only by {@link #install}
     * and {@link #uninstall}.
     */
    static final int[] SPARSE_EDGE = newDisabledEdges(32);

    /**
     * The same edges, each at {@code numberOfLeadingZeros(edge) & 31} (its bit length, counted
     * down; size 0 at 0, where no size above it can be), and {@link #NEVER} at every other index:
     * what {@link #mayBeSparseEdge} looks a size up in. Each edge is at least twice the one below
     * it, so two edges of one bit length are equal.
     */
    static final int[] SPARSE_EDGE_BY_ZEROS = newDisabledEdges(32);

    /**
     * A removal hook's first test, on the size alone (no load of the table): true when the size
     * is the sparse edge of some tracked capacity, which a draining map passes once each time its
     * size halves. Compiled into the map's method as a count of leading zeros, a load and a
     * compare: the mask keeps the index inside the array, so C2 adds no range check (and no
     * uncommon trap, whose state would keep more of the caller's values on the stack).
     */
    @jdk.internal.vm.annotation.ForceInline
    static boolean mayBeSparseEdge(int size) {
        return size == SPARSE_EDGE_BY_ZEROS[Integer.numberOfLeadingZeros(size) & 31];
    }

    /** Smallest tracked capacity; {@code Integer.MAX_VALUE} while not installed. */
    static int minCapacity = Integer.MAX_VALUE;

    /** The sparse fill ratio, for the kinds whose capacities are not powers of two. */
    static double sparseFill;

    private static volatile TrackingState state;

    private static final CallDepth DEPTH = new CallDepth();

    private static TrackerControl control = new TrackerControl();

    private MapTracker() {
    }

    /**
     * Hands the control over tracking to the agent that asks first; null while another holds it.
     * The agent claims it right after it made these classes visible and gives it back when it is
     * detached; code that never claimed it cannot install, read or stop the tracker.
     */
    public static synchronized TrackerControl claim() {
        TrackerControl claimed = control;
        control = null;
        return claimed;
    }

    static synchronized void release(TrackerControl released) {
        if (control == null) {
            control = released;
        }
    }

    /** True while a tracker is installed. Says nothing else. */
    public static boolean isInstalled() {
        return state != null;
    }

    /**
     * The guarded slow path of every hook: {@code map} of {@code kind} had {@code event} with this
     * size and capacity.
     *
     * <p>Never inlined ({@code DontInline} is honoured for boot classes): C2 compiles a call here
     * into the map's method, not this method's body, so that the hooked methods' compiled code stays
     * as small as without the agent, and callers inline them as they would (a method whose compiled
     * code passes {@code InlineSmallCode} is "already compiled into a big method" and called).
     *
     * <p>Hidden, as the hooks and the tracker's methods down to the stack walk are ({@code Hidden}
     * is honoured for boot classes too): the walk that captures a site skips them inside the JVM,
     * without filling a frame object for each (about 90 bytes and a method look-up on Java 17).
     */
    @jdk.internal.vm.annotation.DontInline
    @jdk.internal.vm.annotation.Hidden
    static void slowPath(int kind, int event, Object map, int size, int capacity) {
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
            current.onEvent(kind, event, map, size, capacity);
        } catch (Throwable failure) {
            if (current.recordFailure(failure)) {
                disable(current);
            }
        } finally {
            depth[0] = 0;
        }
    }

    /** For the hooks of non-power-of-two tables: the size at which a map has just become sparse. */
    static int sparseEdge(int capacity) {
        return capacity >= minCapacity ? (int) Math.ceil(capacity * sparseFill) - 1 : NEVER;
    }

    static synchronized void install(TrackingState newState) {
        state = newState;
        int[] edges = newState.sparseEdges();
        System.arraycopy(edges, 0, SPARSE_EDGE, 0, SPARSE_EDGE.length);
        System.arraycopy(byLeadingZeros(edges), 0, SPARSE_EDGE_BY_ZEROS, 0, SPARSE_EDGE_BY_ZEROS.length);
        sparseFill = newState.settings().sparseFill();
        minCapacity = newState.settings().minCapacity();
    }

    static synchronized void uninstall() {
        minCapacity = Integer.MAX_VALUE;
        System.arraycopy(newDisabledEdges(32), 0, SPARSE_EDGE, 0, SPARSE_EDGE.length);
        System.arraycopy(newDisabledEdges(32), 0, SPARSE_EDGE_BY_ZEROS, 0, SPARSE_EDGE_BY_ZEROS.length);
        state = null;
    }

    private static synchronized void disable(TrackingState failed) {
        if (state == failed) {
            uninstall();
            failed.markDisabled();
        }
    }

    static TrackingState state() {
        return state;
    }

    /** Marks the calling thread as running agent code; returns what to give {@link #leaveAgentCode}. */
    static int enterAgentCode() {
        int[] depth = DEPTH.get();
        int before = depth[0];
        depth[0] = 1;
        return before;
    }

    static void leaveAgentCode(int before) {
        DEPTH.get()[0] = before;
    }

    private static int[] newDisabledEdges(int length) {
        int[] edges = new int[length];
        java.util.Arrays.fill(edges, NEVER);
        return edges;
    }

    static int[] byLeadingZeros(int[] edges) {
        int[] byZeros = newDisabledEdges(32);
        for (int edge : edges) {
            if (edge != NEVER) {
                byZeros[Integer.numberOfLeadingZeros(edge) & 31] = edge;
            }
        }
        return byZeros;
    }

    /** Per-thread re-entry guard; a subclass rather than {@code withInitial}, which needs a lambda. */
    private static final class CallDepth extends ThreadLocal<int[]> {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    }
}
