package dev.mapretention.agent.boot;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * What the agent knows of one tracked map. It refers to the map weakly, so that tracking never
 * keeps a map alive, and is both key and value of the side table: equal only to itself or to a
 * record of the same live map, with the map's identity hash.
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
    /** {@code System.nanoTime()} when the map last became sparse, or 0 while it is not sparse. */
    private volatile long sparseSinceNanos;
    /** Written by the scanner thread only; read by reports on any thread. */
    private volatile boolean oversized;
    /** True once the map was seen holding at least the sparse limit. */
    private volatile boolean everFilled;

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

    void markSparseIfNot(long nowNanos) {
        if (sparseSinceNanos == 0) {
            sparseSinceNanos = nonZero(nowNanos);
        }
    }

    /** Records what the scanner saw: sparse (since at latest {@code nowNanos}) or not. */
    public void observe(boolean sparse, long nowNanos) {
        if (!sparse) {
            sparseSinceNanos = 0;
            sparseBeforeCensus = false;
            everFilled = true;
        } else {
            markSparseIfNot(nowNanos);
        }
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

    static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
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
