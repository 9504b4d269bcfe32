package dev.mapretention.agent.census;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What the native census hands back, by calls to these methods after its walks (never during
 * one). It is one of the objects the walks do not follow. A TreeMap, not a HashMap: the census
 * runs on a reader's thread, whose maps the tracker may track.
 */
final class CensusSink {

    /** A found map and the record of what holds it (0 when the walk lost track of it). */
    record Found(Object map, int kind, int record) {
    }

    /** What to do with a map whose table is long enough: {@link #LEAVE}, {@link #HOLDER} or {@link #HOLDERS}. */
    interface Triage {
        int decide(Object map, int kind);
    }

    /** Not at or above minCapacity after all: not tracked. */
    static final int LEAVE = 0;
    /** Tracked; only its direct holder is needed (it is not sparse: no finding shows it now). */
    static final int HOLDER = 1;
    /** Tracked and reported: its holders are traced all the way. */
    static final int HOLDERS = 2;

    private final TreeMap<Integer, Hop> hops = new TreeMap<>();
    private final List<Found> found = new ArrayList<>();
    private final Triage triage;
    private long[] stats = new long[0];

    CensusSink(Triage triage) {
        this.triage = triage;
    }

    /** Called by the native census, outside any safepoint, for each map whose table is long enough. */
    @SuppressWarnings("unused")
    int candidate(Object map, int kind) {
        try {
            return triage.decide(map, kind);
        } catch (RuntimeException unreadable) {
            return LEAVE;
        }
    }

    /** Called by the native census, once for each record on a found map's chain. */
    @SuppressWarnings("unused")
    void hop(int id, int parent, int recordKind, int definition, String objectClass, int holderKind, String holderClass,
             String referrerClass, String member, String thread, String frame) {
        hops.put(id, new Hop(id, parent, recordKind, definition, objectClass, holderKind, holderClass, referrerClass,
                member, thread, frame));
    }

    /** Called by the native census for each map it found. */
    @SuppressWarnings("unused")
    void found(Object map, int kind, int record) {
        found.add(new Found(map, kind, record));
    }

    /** Called by the native census last: see {@link CensusStats}. */
    @SuppressWarnings("unused")
    void stats(long[] values) {
        stats = values.clone();
    }

    TreeMap<Integer, Hop> hops() {
        return hops;
    }

    List<Found> found() {
        return found;
    }

    long[] stats() {
        return stats;
    }

    /** Lets go of the maps, which must not outlive the census here. */
    void forgetMaps() {
        found.clear();
    }
}
