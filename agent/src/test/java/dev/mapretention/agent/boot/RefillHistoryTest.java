package dev.mapretention.agent.boot;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tracked map's history, driven through the tracker's events and the scanner's observations as
 * the hooks and the scanner make them: a refill is counted once per sparse spell, by whichever
 * sees it first, and also when only the hooks see it (filled and drained between two scans).
 */
class RefillHistoryTest {

    private static final int CAPACITY = 1 << 18;          // sparse below 32,768 entries
    private static final int EDGE = CAPACITY / 8 - 1;

    private static TrackingState state() throws ReflectiveOperationException {
        MapFields[] sizes = new MapFields[MapKinds.COUNT];
        sizes[MapKinds.HASH_MAP] = MapFields.lookUp(HashMap.class, "table", "size");
        sizes[MapKinds.CONCURRENT_HASH_MAP] = MapFields.lookUp(ConcurrentHashMap.class, "table", "baseCount")
                .withCounterCells("counterCells", "value");
        // As the agent's thread does first: the readers' accessors are made off the maps' operations.
        sizes[MapKinds.HASH_MAP].size(new HashMap<>());
        sizes[MapKinds.CONCURRENT_HASH_MAP].size(new ConcurrentHashMap<>());
        return new TrackingState(new TrackingSettings(4096, 0.125, 10, 100, 8, false, false), sizes);
    }

    private static TrackedMap only(TrackingState state) {
        assertEquals(1, state.trackedCount());
        return state.trackedMaps().iterator().next();
    }

    /** The record of {@code map}, tracked from its last resize on the way to 100,000 entries. */
    private static TrackedMap grown(TrackingState state, HashMap<Integer, Integer> map) {
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 98_305, CAPACITY);
        return only(state);
    }

    private static void fill(Map<Integer, Integer> map, int n) {
        for (int i = 0; i < n; i++) {
            map.put(i, i);
        }
    }

    @Test
    void clearsBetweenScansCountEveryRefillAfterTheFirstFill() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        fill(map, 100_000);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 98_305, CAPACITY);
        for (int cycle = 0; cycle < 6; cycle++) {
            fill(map, 100_000);
            // clear()'s hook runs at its start, with the entries still there.
            state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
            map.clear();
        }
        TrackedMap record = only(state);
        assertEquals(5, record.refills(), "six fills: the first, then five refills");
        assertEquals(100_000, record.peakSize(), "the size before a clear is read from the map");
        assertNotEquals(0, record.sparseSinceNanos());
        assertFalse(record.neverFilled());
    }

    @Test
    void noSizeIsReadInsideAMapOperationBeforeTheAgentsThreadReadOne() throws Exception {
        MapFields[] sizes = new MapFields[MapKinds.COUNT];
        sizes[MapKinds.CONCURRENT_HASH_MAP] = MapFields.lookUp(ConcurrentHashMap.class, "table", "baseCount")
                .withCounterCells("counterCells", "value");
        TrackingState state = new TrackingState(new TrackingSettings(4096, 0.125, 10, 100, 8, false, false), sizes);
        ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.RESIZED, map, Integer.MAX_VALUE, CAPACITY);
        TrackedMap record = only(state);
        for (int cycle = 0; cycle < 3; cycle++) {
            fill(map, 100_000);
            state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
            map.clear();
        }
        assertEquals(0, record.refills(), "the size before the clear was not known");
        assertEquals(0, record.peakSize());
        sizes[MapKinds.CONCURRENT_HASH_MAP].size(new ConcurrentHashMap<>());
        fill(map, 100_000);
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
        assertEquals(1, record.refills(), "known now");
        assertEquals(100_000, record.peakSize());
    }

    @Test
    void aRefillSeenByTheScannerIsNotCountedAgainAtTheNextDrain() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        TrackedMap record = grown(state, map);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(0, record.refills(), "the first drain ends the first fill");
        record.observe(true, EDGE, System.nanoTime(), 0);
        record.observe(false, 99_000, System.nanoTime(), 0);
        assertEquals(1, record.refills(), "the scanner saw it full again");
        assertEquals(0, record.sparseSinceNanos());
        record.observe(false, 99_500, System.nanoTime(), 0);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(1, record.refills(), "the same refill, seen again by the removal hook");
        assertEquals(99_500, record.peakSize(), "the most the resize (98,305) and the scans saw");
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(2, record.refills(), "a second edge, unseen by the scanner: refilled in between");
    }

    @Test
    void aDrainTheScannerReadBeforeItsHookRanIsNotARefill() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        TrackedMap record = grown(state, map);
        // removeNode lowered the size to the edge; the scanner read it before the hook ran.
        record.observe(true, EDGE, System.nanoTime(), 0);
        assertNotEquals(0, record.sparseSinceNanos());
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(0, record.refills(), "one drain, seen by both");
        assertNotEquals(0, record.sparseSinceNanos(), "and sparse since it");
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(1, record.refills(), "the next edge: refilled in between");
    }

    @Test
    void aDrainLongAfterTheScannerSawTheMapSparseFollowsARefill() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        TrackedMap record = grown(state, map);
        record.observe(true, 10, System.nanoTime(), 0);
        Thread.sleep(TrackedMap.SAME_DRAIN_NANOS / 1_000_000L + 20);
        // Refilled between two scans, and drained again.
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(1, record.refills());
    }

    @Test
    void aScannerReadOlderThanAHooksDrainIsIgnored() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        TrackedMap record = grown(state, map);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        long passStarted = System.nanoTime();
        Thread.sleep(2);
        // Refilled and drained after the pass began, before the pass read the map (full, then).
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertEquals(1, record.refills());
        long since = record.sparseSinceNanos();
        record.observe(false, 100_000, passStarted, 0);
        assertEquals(1, record.refills(), "not a second refill");
        assertEquals(since, record.sparseSinceNanos(), "and still sparse, as the hook saw it last");
    }

    @Test
    void aFullReadSoonAfterAClearBeganIsNotARefill() throws Exception {
        TrackingState state = state();
        ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.RESIZED, map, Integer.MAX_VALUE, CAPACITY);
        TrackedMap record = only(state);
        fill(map, 100_000);
        // clear()'s hook ran at its start; a pass began after it and read the size before the
        // clear lowered it, at its end.
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
        long since = record.sparseSinceNanos();
        record.observe(false, 100_000, System.nanoTime(), 100 * 1_000_000L);
        assertEquals(0, record.refills());
        assertEquals(since, record.sparseSinceNanos());
        // Full again a settle time after the drain: a refill.
        record.observe(false, 100_000, since + 100 * 1_000_000L, 100 * 1_000_000L);
        assertEquals(1, record.refills());
        assertEquals(0, record.sparseSinceNanos());
    }

    @Test
    void aKnownMapThatGrowsAgainIsRefilled() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 3_073, 4096);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, 511, 4096);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 6_145, 8192);
        TrackedMap record = only(state);
        assertEquals(1, record.refills());
        assertEquals(0, record.sparseSinceNanos());
        assertEquals(6_145, record.peakSize());
        // putAll's presizing resize, with the old size still in the field: not a refill.
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, 1023, 8192);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 100, 16384);
        assertEquals(1, record.refills());
        assertNotEquals(0, record.sparseSinceNanos());
    }

    @Test
    void aConcurrentHashMapsClearIsARefillOnlyWhenTheMapWasFullBeforeIt() throws Exception {
        TrackingState state = state();
        ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();
        fill(map, 100_000);
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.RESIZED, map, Integer.MAX_VALUE, CAPACITY);
        TrackedMap record = only(state);
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
        map.clear();
        assertEquals(0, record.refills());
        // Its clear hook fires at every clear: an already empty map is not refilled by it.
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
        assertEquals(0, record.refills());
        fill(map, 50_000);
        state.onEvent(MapKinds.CONCURRENT_HASH_MAP, TrackingState.DRAINED, map, 0, CAPACITY);
        map.clear();
        assertEquals(1, record.refills());
        assertEquals(100_000, record.peakSize());
    }

    @Test
    void aPresizedMapsFirstFillIsNotARefill() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>(1 << 20);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 0, 1 << 20);
        TrackedMap record = only(state);
        assertTrue(record.neverFilled());
        record.observe(false, 200_000, System.nanoTime(), 0);
        assertFalse(record.neverFilled());
        assertEquals(0, record.refills());
        assertNotEquals(0, record.lastFillNanos(), "its first fill is when it was seen full");
    }

    @Test
    void theCycleIsTheTimeFromOneFillToTheNextWithTheLastOnesWeighingMost() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        TrackedMap record = grown(state, map);
        long start = record.lastFillNanos();
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        Thread.sleep(40);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        long first = (record.lastFillNanos() - start) / 1_000_000L;
        assertEquals(first, record.cycleMillis());
        assertTrue(first >= 40, Long.toString(first));
        for (int i = 0; i < 12; i++) {
            state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        }
        assertEquals(13, record.refills());
        assertTrue(record.cycleMillis() < first / 2, "back-to-back refills: a short cycle now, " + record.cycleMillis());
    }

    @Test
    void aRefillEndsTheMapsOversizedEpisode() throws Exception {
        TrackingState state = state();
        HashMap<Integer, Integer> map = new HashMap<>();
        TrackedMap record = grown(state, map);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        record.setOversized(true);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, EDGE, CAPACITY);
        assertFalse(record.isOversized(), "refilled and drained again: a new episode, to be announced afresh");
    }
}
