package dev.mapretention.agent.boot;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * What the agent knows of one tracked map. It refers to the map weakly, so that tracking never
 * keeps a map alive, and is kept in the side table ({@link TrackedMaps}) by the map's identity
 * hash: equal only to itself or to a record of the same live map.
 *
 * <p>It is made inside the map's operation without its site, container and type name: the
 * agent's thread gives it those from the captured stack soon after ({@link #resolve}). Until then
 * {@link #site()} is null; the side table's readers resolve every waiting record first.
 */
public final class TrackedMap extends WeakReference<Object> {

    private final int identityHash;
    private final byte kind;
    /** Written once, after container and type name, by {@link #resolve}: read it first. */
    private volatile Site site;
    private String container;
    private String typeName;
    /**
     * {@code System.nanoTime()} when the map last became sparse, or 0 while it is not sparse. Odd
     * when the scanner set it, even when a hook or a census did ({@link #byScan}): the last bit
     * tells {@link #drained} whether the scanner may have read the very drain a hook reports, and
     * costs the record no field (it is 80 bytes, and a boolean more would make it 88).
     */
    private volatile long sparseSinceNanos;
    /**
     * True once the scanner has announced the map oversized (log, JFR), until its episode ends:
     * set by the scanner, cleared by the scanner or by a refill.
     */
    private volatile boolean oversized;
    /** True once the map was seen holding at least the sparse limit. */
    private volatile boolean everFilled;

    // Its history, for telling a reused table from a retained one: written on the hooks' slow
    // path and by the scanner, each transition under this record's lock (see refilled).
    /** The most entries it was seen holding (by the hooks' events and the scanner). */
    private volatile int peakSize;
    /** How many times it went back to the sparse limit after being sparse: its refills. */
    private volatile int refills;
    /** A moving average of the time from one fill to the next, in ms; 0 before its first refill. */
    private volatile int cycleMillis;
    /** When it was last filled: first seen full, or last refilled ({@code System.nanoTime()}); 0 if never. */
    private volatile long lastFillNanos;

    // ---- heap census (issue 11): kept apart for the merge ----
    /** What holds the map, as the last census found it (the agent's own description); or null. */
    private volatile Object owner;
    /** True while the map stays sparse since a census found it so: since when is not known. */
    private volatile boolean sparseBeforeCensus;
    // ---- end heap census ----

    TrackedMap(Object map, int identityHash, ReferenceQueue<Object> queue, int kind, long sparseSinceNanos,
               boolean everFilled) {
        super(map, queue);
        this.identityHash = identityHash;
        this.kind = (byte) kind;
        this.sparseSinceNanos = sparseSinceNanos;
        this.everFilled = everFilled;
        this.lastFillNanos = everFilled ? nonZero(System.nanoTime()) : 0;
    }

    /** On the agent's side, once: what the captured stack and the map say. */
    void resolve(Site site, String container, String typeName) {
        this.container = container;
        this.typeName = typeName;
        this.site = site;
    }

    /** The kind of map, one of {@link MapKinds}. */
    public int kind() {
        return kind;
    }

    /**
     * The site that grew the map (or, after a late attach, drained or regrew it); null while not
     * yet resolved, and then container and type name are not known either.
     */
    public Site site() {
        return site;
    }

    /**
     * What the application holds: HashMap, LinkedHashMap, HashSet, LinkedHashSet,
     * ConcurrentHashMap, ConcurrentHashMap.KeySetView, Properties, Hashtable, IdentityHashMap,
     * WeakHashMap, or a subclass's simple name.
     */
    public String container() {
        return container;
    }

    /** The class name of the map object itself, e.g. {@code java.util.HashMap}. */
    public String typeName() {
        return typeName;
    }

    /** When the map became sparse ({@code System.nanoTime()}), or 0 when it is not sparse. */
    public long sparseSinceNanos() {
        return sparseSinceNanos;
    }

    /** Marks the map sparse since {@code stamp} ({@link #nonZero} or {@link #byScan}) unless it already is. */
    private void markSparseIfNot(long stamp) {
        if (sparseSinceNanos == 0) {
            synchronized (this) {
                if (sparseSinceNanos == 0) {
                    sparseSinceNanos = stamp;
                }
            }
        }
    }

    /**
     * Records what the scanner saw in a pass that began at {@code passNanos}: the map sparse or
     * not, holding {@code size} entries. The scanner's reads race with the map's own changes, so
     * a refill is counted from them only when the map has been sparse for at least
     * {@code settleNanos} (longer than a clear takes: ConcurrentHashMap, Hashtable,
     * IdentityHashMap and WeakHashMap lower their size only at the end of {@code clear}, whose hook
     * ran at its start); a sooner refill is counted by the next drain's hook, or by a later pass.
     * A read older than a refill a hook saw is ignored too.
     */
    public void observe(boolean sparse, int size, long passNanos, long settleNanos) {
        peak(size);
        long since = sparseSinceNanos;
        if (!sparse) {
            if ((since != 0 && passNanos - since >= settleNanos) || (since == 0 && !everFilled)) {
                refilled(passNanos, false);
            }
        } else {
            long filled = lastFillNanos;
            if (sparseSinceNanos == 0 && (filled == 0 || passNanos - filled >= 0)) {
                // Stamped when this read was made, not when the pass began: see drained.
                markSparseIfNot(byScan(System.nanoTime()));
            }
        }
    }

    /**
     * A hook saw the map drain below the sparse limit at {@code nowNanos}, from {@code sizeBefore}
     * entries. When it was full just before ({@code wasFull}) and the record still says sparse,
     * it was refilled since its last drain without the scanner seeing it: that counts as a refill.
     */
    void drained(long nowNanos, boolean wasFull, int sizeBefore) {
        if (!wasFull) {
            markSparseIfNot(nonZero(nowNanos));
            return;
        }
        peak(sizeBefore);
        long since = sparseSinceNanos;
        if (since != 0 && isByScan(since) && Math.abs(nowNanos - since) < SAME_DRAIN_NANOS) {
            // A hook runs when the map's operation has already lowered its size: the scanner can
            // read that size and mark the map sparse before the hook gets here. That was this
            // drain, not an earlier one followed by an unseen refill. (A real refill and drain this
            // soon after a scan is counted from its next cycle on.)
            synchronized (this) {
                if (sparseSinceNanos == since) {
                    sparseSinceNanos = nonZero(nowNanos);
                }
            }
            return;
        }
        refilled(nowNanos, true);
    }

    /** A hook saw the map grow again, holding {@code size} entries, not sparse. */
    void grew(int size, long nowNanos) {
        peak(size);
        if (sparseSinceNanos != 0 || !everFilled) {
            refilled(nowNanos, false);
        }
    }

    /**
     * The map is (or was, just before a drain) at least at the sparse limit. Counts a refill once
     * per sparse spell, whoever sees it first: the first of the scanner and the hooks to see the
     * record sparse and the map full.
     */
    private synchronized void refilled(long nowNanos, boolean drainsNow) {
        if (!everFilled) {
            everFilled = true;
            lastFillNanos = nonZero(nowNanos);
        } else if (sparseSinceNanos != 0) {
            long sinceFill = Math.max(0, (nowNanos - lastFillNanos) / 1_000_000L);
            int interval = (int) Math.min(Integer.MAX_VALUE, sinceFill);
            // The last fills weigh most, so that a map whose rhythm changes is judged by its new one.
            cycleMillis = refills == 0 ? interval : (int) ((3L * cycleMillis + interval) / 4);
            if (refills < Integer.MAX_VALUE) {
                refills++;
            }
            lastFillNanos = nonZero(nowNanos);
            // A refill ends the map's oversized episode: a later one is announced afresh.
            oversized = false;
        }
        sparseSinceNanos = drainsNow ? nonZero(nowNanos) : 0;
        // Full now, or drained at a known time: no longer sparse since an unknown time.
        sparseBeforeCensus = false;
    }

    void peak(int size) {
        if (size > peakSize) {
            peakSize = size;
        }
    }

    /** The most entries the map was seen holding. */
    public int peakSize() {
        return peakSize;
    }

    /** How many times the map went back to the sparse limit after being sparse. */
    public int refills() {
        return refills;
    }

    /** The map's usual time from one fill to the next, in ms (recent ones weigh most); 0 before a refill. */
    public int cycleMillis() {
        return cycleMillis;
    }

    /** When the map was last filled or refilled ({@code System.nanoTime()}), 0 if never. */
    public long lastFillNanos() {
        return lastFillNanos;
    }

    /**
     * True when the map was never seen filled past the sparse limit: a table sized far beyond
     * anything it held (pre-sized, say), rather than one that grew and drained.
     */
    public boolean neverFilled() {
        return !everFilled;
    }

    /** True once the scanner has flagged the map oversized and until it stops being so. */
    public boolean isOversized() {
        return oversized;
    }

    public void setOversized(boolean oversized) {
        this.oversized = oversized;
    }

    // ---- heap census (issue 11): kept apart for the merge ----

    /** What holds the map, as the last census that found it described it; null when no census did. */
    public Object owner() {
        return owner;
    }

    /**
     * True when a census found the map already sparse and it has stayed sparse since: it is
     * oversized at once, and how long it has been sparse is not known.
     */
    public boolean sparseBeforeCensus() {
        return sparseBeforeCensus;
    }

    void foundByCensus(Object newOwner, boolean sparse, long nowNanos) {
        owner = newOwner;
        if (sparse && sparseSinceNanos == 0) {
            sparseSinceNanos = nonZero(nowNanos);
            sparseBeforeCensus = true;
        }
    }
    // ---- end heap census ----

    /**
     * How soon after the scanner marked a map sparse a hook's drain is taken for the one the
     * scanner read: far longer than a hook waits behind its map's operation, far shorter than a
     * map of {@code minCapacity} slots takes to refill and drain again in an application.
     */
    static final long SAME_DRAIN_NANOS = 100_000_000L;

    /** A time stamp set by a hook or a census: never 0 (not sparse), always even. */
    static long nonZero(long nanos) {
        long even = nanos & ~1L;
        return even == 0 ? 2 : even;
    }

    /** A time stamp set by the scanner: odd, so never 0. */
    private static long byScan(long nanos) {
        return nanos | 1L;
    }

    private static boolean isByScan(long stamp) {
        return (stamp & 1L) != 0;
    }

    @Override
    public int hashCode() {
        return identityHash;
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof TrackedMap)) {
            return false;
        }
        Object map = get();
        return map != null && map == ((TrackedMap) other).get();
    }
}
