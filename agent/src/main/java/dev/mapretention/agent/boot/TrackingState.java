package dev.mapretention.agent.boot;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/**
 * The side table of tracked maps, the shared sites and the tracker's own counters.
 *
 * <p>Its event methods run inside the maps' operations, on the tracker's guarded slow path, and
 * do no more there than look the map up, capture the stack and add a record: the record's site
 * is resolved (methods numbered, shared, formatted) and collected maps are forgotten on the
 * agent's own thread ({@link #awaitAndTidy}), or by whoever reads the tracked maps first. Its
 * other methods are for the agent's scanner and reports. Memory is bounded: at most
 * {@code maxTrackedMaps} records and {@code maxSites} sites; maps beyond the cap are counted in
 * {@link #refusedMaps()} and not tracked.
 */
public final class TrackingState {

    static final int RESIZED = 0;
    static final int DRAINED = 1;

    /** How many collected maps' records are removed under one hold of the side table's lock. */
    private static final int EXPUNGE_BATCH = 64;

    /** Failures after which tracking switches itself off. */
    static final int MAX_FAILURES = 100;

    private final TrackingSettings settings;
    /**
     * Per kind, the reader of a map's size fields, for the drains whose hooks pass no size; null
     * until the agent's thread has made them ({@link #useSizeFields}), and then sizes at a clear
     * are unknown, as they are until the scanner has read a size with each reader.
     */
    private volatile MapFields[] sizeFields;
    private final TrackedMaps maps = new TrackedMaps();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final SiteTable sites;
    private final PendingSites pending = new PendingSites();
    /** The key {@link #resolvePending} looks sites up with (under its lock). */
    private final SiteTable.SiteKey resolverKey;
    private final LongAdder failures = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder trackedTotal = new LongAdder();
    private final LongAdder jdkMapEvents = new LongAdder();
    private volatile String lastFailure;
    private volatile boolean disabled;

    public TrackingState(TrackingSettings settings) {
        this(settings, null);
    }

    /**
     * @param sizeFields per kind ({@link MapKinds}), the reader of a map's size fields, or null:
     *                   at a clear the size before it tells a refill (and the peak of a cycle)
     */
    public TrackingState(TrackingSettings settings, MapFields[] sizeFields) {
        this.settings = settings;
        this.sizeFields = sizeFields == null ? null : sizeFields.clone();
        this.sites = new SiteTable(settings.siteDepth(), settings.maxSites());
        this.resolverKey = sites.newKey();
    }

    public TrackingSettings settings() {
        return settings;
    }

    /** The readers of the maps' size fields, per kind ({@link MapKinds}), once the agent has made them. */
    public void useSizeFields(MapFields[] fields) {
        this.sizeFields = fields.clone();
    }

    /**
     * What the tracker leaves to the agent's thread, off the application's start path: deciding
     * how sites tell methods apart (see {@link SiteTable#prepare}). Called by the agent's thread
     * before it resolves its first site; a site resolved earlier decides it then.
     */
    public void prepareSites() {
        sites.prepare();
    }

    /** For each capacity {@code 1 << k}: the size at which a map has just become sparse. */
    int[] sparseEdges() {
        int[] edges = new int[32];
        for (int k = 0; k < 31; k++) {
            long capacity = 1L << k;
            edges[k] = capacity >= settings.minCapacity()
                    ? (int) (settings.sparseLimit(capacity) - 1) : MapTracker.NEVER;
        }
        edges[31] = MapTracker.NEVER;
        return edges;
    }

    /**
     * A hook's event, on the guarded slow path: {@code map}, of {@code kind} ({@link MapKinds}),
     * was resized or drained, and now has {@code size} entries (for a ConcurrentHashMap, what the
     * event implies) in {@code capacity} slots.
     */
    @jdk.internal.vm.annotation.Hidden
    void onEvent(int kind, int event, Object map, int size, int capacity) {
        if (settings.injectFailures()) {
            throw new IllegalStateException("injected tracker failure (test switch)");
        }
        int identityHash = System.identityHashCode(map);
        TrackedMap known = maps.find(map, identityHash);
        if (event == DRAINED) {
            long now = System.nanoTime();
            if (known != null) {
                drained(known, kind, map, size, capacity, now);
            } else {
                // Seen first at its drain: it was filled up to the sparse limit just before.
                track(map, identityHash, kind, Site.DRAIN_AFTER_ATTACH, TrackedMap.nonZero(now), true,
                        sizeBefore(kind, map, size));
            }
        } else if (known == null) {
            // A late attach cannot have seen a map that was already past the minimum capacity:
            // the site of its next growth is a regrowth, not where it first grew.
            int previous = kind == MapKinds.HASHTABLE ? (capacity - 1) >> 1 : capacity >> 1;
            boolean regrowth = settings.lateAttach() && size > 0 && previous >= settings.minCapacity();
            long sparseSince = settings.isSparse(size, capacity) ? TrackedMap.nonZero(System.nanoTime()) : 0;
            track(map, identityHash, kind, regrowth ? Site.REGROWTH_AFTER_ATTACH : Site.GROWTH, sparseSince,
                    sparseSince == 0, size == Integer.MAX_VALUE ? 0 : size);
        } else if (size == Integer.MAX_VALUE || !settings.isSparse(size, capacity)) {
            // A known map grew again, so it is full (MAX_VALUE: a ConcurrentHashMap's, size not passed).
            known.grew(size == Integer.MAX_VALUE ? 0 : size, System.nanoTime());
        }
    }

    /**
     * A known map drained. Every hook but ConcurrentHashMap's fires only on a map that was not
     * sparse just before (the removal edge, or a clear of a map above the edge); the size before a
     * clear is read from the map's fields, where a reader is given.
     */
    private void drained(TrackedMap known, int kind, Object map, int size, int capacity, long now) {
        int before = sizeBefore(kind, map, size);
        boolean wasFull = kind != MapKinds.CONCURRENT_HASH_MAP || (before >= 0 && !settings.isSparse(before, capacity));
        known.drained(now, wasFull, before);
    }

    /** The size before a drain: one more than the removal edge, or what a clear's start finds (-1: unknown). */
    private int sizeBefore(int kind, Object map, int size) {
        return size > 0 ? size + 1 : sizeNow(kind, map);
    }

    /**
     * The map's size as its fields hold it (at a clear's start: the size before it), or -1 when
     * unknown (no reader, or the scanner has not read a size with it yet).
     */
    private int sizeNow(int kind, Object map) {
        MapFields[] readers = sizeFields;
        MapFields fields = readers == null || kind >= readers.length ? null : readers[kind];
        return fields == null ? -1 : (int) Math.min(Integer.MAX_VALUE, fields.sizeIfReady(map));
    }

    /** Hidden from the walk it makes, as the frames above it are ({@link MapTracker#slowPath}). */
    @jdk.internal.vm.annotation.Hidden
    private void track(Object map, int identityHash, int kind, int siteKind, long sparseSince, boolean filled,
                       int size) {
        if (maps.size() >= settings.maxTrackedMaps()) {
            refused.increment();
            return;
        }
        SiteTable.Capture capture = sites.newCapture(siteKind);
        sites.walker().walk(capture);
        if (capture.jdkOnly()) {
            jdkMapEvents.increment();
            return;
        }
        TrackedMap record = new TrackedMap(map, identityHash, collected, kind, sparseSince, filled);
        record.peak(size);
        if (maps.addIfAbsent(record, map) == null) {
            trackedTotal.increment();
            capture.record = record;
            if (!pending.offer(capture)) {
                resolve(capture, null);
            }
        }
    }

    /**
     * Resolves the sites of the maps tracked since the last call. On the agent's thread, and
     * first thing in every read of the tracked maps, so that readers see every record resolved.
     *
     * @return how many it resolved
     */
    public synchronized int resolvePending() {
        int resolved = 0;
        SiteTable.Capture capture = pending.takeAll();
        while (capture != null) {
            SiteTable.Capture next = capture.next;
            capture.next = null;
            resolve(capture, resolverKey);
            capture = next;
            resolved++;
        }
        return resolved;
    }

    /** Gives a record its site and container; one whose map is gone already keeps none. */
    private void resolve(SiteTable.Capture capture, SiteTable.SiteKey scratch) {
        TrackedMap record = capture.record;
        capture.record = null;
        Object map = record.get();
        if (map != null) {
            record.resolve(sites.intern(capture, scratch), capture.container(map, record.kind()), map.getClass().getName());
        }
    }

    /**
     * For the agent's own thread, between its scans: waits at most {@code nanos} for maps to be
     * tracked (or until interrupted), then resolves their sites and forgets collected maps.
     *
     * @return how many sites it resolved and maps it forgot
     */
    public int awaitAndTidy(long nanos) {
        pending.await(nanos);
        return resolvePending() + expungeCollected(Integer.MAX_VALUE);
    }

    /** How many tracked maps wait for their site to be resolved. */
    int pendingSites() {
        return pending.size();
    }

    // ---- heap census (issue 11): kept apart for the merge ----

    /**
     * Tracks a map that a heap census found, from now on, as if it had been seen growing: weakly,
     * with the census's site, the container and owner the census found. A map tracked already
     * keeps its record and site and gains the owner. A sparse map is sparse from now on, since an
     * unknown time ({@link TrackedMap#sparseBeforeCensus()}). Not called inside HashMap.
     *
     * @param owner the agent's description of what holds the map, or null
     * @return false when the map could not be tracked ({@code maxTrackedMaps} reached)
     */
    public boolean adoptFound(Object map, int kind, String container, boolean sparse, Object owner) {
        expungeCollected(8);
        int identityHash = System.identityHashCode(map);
        long now = System.nanoTime();
        TrackedMap known = maps.find(map, identityHash);
        if (known == null) {
            if (maps.size() >= settings.maxTrackedMaps()) {
                refused.increment();
                return false;
            }
            TrackedMap record = new TrackedMap(map, identityHash, collected, kind, 0, !sparse);
            record.resolve(Site.FOUND_BY_CENSUS, container, map.getClass().getName());
            known = maps.addIfAbsent(record, map);
            if (known == null) {
                trackedTotal.increment();
                known = record;
            }
        }
        known.foundByCensus(owner, sparse, now);
        return true;
    }
    // ---- end heap census ----

    /** Forgets up to {@code limit} maps that the garbage collector has reclaimed. */
    public int expungeCollected(int limit) {
        Reference<?>[] batch = null;
        int removed = 0;
        int batched = 0;
        Reference<?> ref;
        while (removed < limit && (ref = collected.poll()) != null) {
            if (batch == null) {
                batch = new Reference<?>[EXPUNGE_BATCH];
            }
            batch[batched++] = ref;
            removed++;
            if (batched == batch.length) {
                maps.removeAll(batch, batched);
                batched = 0;
            }
        }
        if (batched > 0) {
            maps.removeAll(batch, batched);
        }
        return removed;
    }

    /** Stops tracking one map (one the scanner could not read as its kind). */
    public void forget(TrackedMap record) {
        maps.remove(record);
    }

    /**
     * The tracked maps, their sites resolved; a live view, weakly consistent under concurrent
     * change (a map tracked during the iteration may show without its site yet: skip it). Each
     * scan comes here, so the side table gives back the room of collected maps here too.
     */
    public Collection<TrackedMap> trackedMaps() {
        resolvePending();
        maps.trim();
        return maps.values();
    }

    /** The number of maps tracked now (some may have just been collected). */
    public int trackedCount() {
        return maps.size();
    }

    /** The number of maps tracked since start, including those since collected. */
    public long trackedTotal() {
        return trackedTotal.sum();
    }

    /**
     * How often a large map was left untracked because only the JDK's own code grew or drained it,
     * with no application frame on the stack (JFR's and JMX's internal tables, say); a map is
     * counted at each such event.
     */
    public long jdkMapEvents() {
        return jdkMapEvents.sum();
    }

    /** The number of maps not tracked because {@code maxTrackedMaps} maps were tracked already. */
    public long refusedMaps() {
        return refused.sum();
    }

    /**
     * True when sites tell methods apart by the JVM's own object for each method; false when they
     * name them, which costs more per tracked map (the JDK's internals were not as expected).
     */
    public boolean numbersMethods() {
        return sites.numbersMethods();
    }

    /** The number of distinct sites kept. */
    public int siteCount() {
        resolvePending();
        return sites.size();
    }

    /** Failures of the tracker inside HashMap operations (each suppressed, none reached the map). */
    public long failures() {
        return failures.sum();
    }

    /** The class name of the last failure (never a message, which could quote a map's content), or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** True when repeated failures switched tracking off. */
    public boolean isDisabled() {
        return disabled;
    }

    /** Counts a failure; true when tracking should now switch itself off. */
    boolean recordFailure(Throwable failure) {
        failures.increment();
        try {
            lastFailure = failure.getClass().getName();
        } catch (Throwable ignored) {
            // Nothing more to record.
        }
        return failures.sum() >= MAX_FAILURES;
    }

    void markDisabled() {
        disabled = true;
    }

    /** Drops every record, for detach. */
    public void clear() {
        pending.clear();
        maps.clear();
        while (collected.poll() != null) {
            // drain
        }
    }
}
