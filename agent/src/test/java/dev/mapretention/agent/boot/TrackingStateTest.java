package dev.mapretention.agent.boot;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker's policy, driven directly (no instrumentation): what it tracks, and how. */
class TrackingStateTest {

    private static TrackingState state(int maxTracked) {
        return new TrackingState(new TrackingSettings(4096, 0.125, maxTracked, 100, 8, false, false));
    }

    private static TrackedMap only(TrackingState state) {
        assertEquals(1, state.trackedCount());
        return state.trackedMaps().iterator().next();
    }

    @Test
    void theSparseEdgeIsOneBelowTheSparseLimitForTrackedCapacitiesOnly() {
        int[] edges = state(10).sparseEdges();
        assertEquals(MapTracker.NEVER, edges[11]);   // 2048 slots: below minCapacity
        assertEquals(511, edges[12]);                // 4096 * 0.125 = 512: sparse below it
        assertEquals(131_071, edges[20]);
    }

    @Test
    void aMapReachingMinCapacityIsTrackedWithTheSiteThatGrewIt() {
        TrackingState state = state(10);
        HashMap<Object, Object> map = new HashMap<>();
        growHere(state, map);
        TrackedMap record = only(state);
        assertSame(map, record.get());
        assertEquals("HashMap", record.container());
        assertTrue(record.site().frame(0).startsWith(TrackingStateTest.class.getName() + ".growHere(TrackingStateTest.java:"),
                record.site().frame(0));
        assertEquals(0, record.sparseSinceNanos(), "a growing map is not sparse");
        assertEquals(Site.GROWTH, record.site().kind());
    }

    private static void growHere(TrackingState state, Object map) {
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 3_073, 4096);
    }

    /**
     * Two lambdas of one class with the same body reach the tracker from one call site: their
     * frames differ only in the method, at the same bytecode index. In-process the JDK's stack
     * frames are not opened to the tracker, so this covers the method-name path; CoreAgentIT
     * covers the method-number path under the real agent.
     */
    @Test
    void framesThatDifferOnlyInTheirMethodMakeDifferentSitesAndRepeatsShareOne() {
        TrackingState state = state(10);
        assertFalse(state.numbersMethods(), "java.lang is not opened to the tests' module");
        BiConsumer<TrackingState, Object> first = (s, map) -> s.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 3_073, 4096);
        BiConsumer<TrackingState, Object> second = (s, map) -> s.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 3_073, 4096);
        List<Object> maps = new ArrayList<>();
        for (BiConsumer<TrackingState, Object> grower : List.of(first, second, first)) {
            Object map = new HashMap<>();
            maps.add(map);
            dispatch(grower, state, map);
        }
        List<Site> sites = new ArrayList<>();
        for (Object map : maps) {
            for (TrackedMap record : state.trackedMaps()) {
                if (record.get() == map) {
                    sites.add(record.site());
                }
            }
        }
        assertEquals(3, sites.size());
        assertNotEquals(sites.get(0).frame(0), sites.get(1).frame(0));
        assertSame(sites.get(0), sites.get(2), "the same stack shares one site");
        assertEquals(2, state.siteCount());
    }

    private static void dispatch(BiConsumer<TrackingState, Object> grower, TrackingState state,
                                 Object map) {
        grower.accept(state, map);
    }

    /**
     * Inside the map's operation the tracker only captures the stack: the site (methods
     * numbered, frames formatted, shared) is made on another thread, here the reader's, and is
     * still the stack of the thread that grew the map.
     */
    @Test
    void theMapsThreadOnlyCapturesAndTheSiteIsResolvedElsewhere() throws Exception {
        TrackingState state = state(10);
        List<Object> maps = new ArrayList<>();
        Thread grower = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                HashMap<Object, Object> map = new HashMap<>();
                maps.add(map);
                growHere(state, map);
            }
        });
        grower.start();
        grower.join();
        assertEquals(3, state.pendingSites(), "nothing resolved on the growing thread");
        assertEquals(3, state.trackedCount());
        for (TrackedMap record : state.trackedMaps()) {
            assertTrue(record.site().frame(0).startsWith(TrackingStateTest.class.getName() + ".growHere("),
                    record.site().frame(0));
            assertTrue(record.site().frame(1).contains("lambda$"), record.site().frame(1));
            assertEquals("HashMap", record.container());
        }
        assertEquals(0, state.pendingSites());
        assertEquals(1, state.siteCount());
    }

    /** When the agent's side falls behind, a map's own thread resolves its site: still exact, memory still bounded. */
    @Test
    void beyondThePendingBoundTheMapsThreadResolvesTheSiteItself() {
        TrackingState state = state(PendingSites.MAX_PENDING + 10);
        List<Object> maps = new ArrayList<>();
        for (int i = 0; i < PendingSites.MAX_PENDING + 5; i++) {
            HashMap<Object, Object> map = new HashMap<>();
            maps.add(map);
            growHere(state, map);
        }
        assertEquals(PendingSites.MAX_PENDING, state.pendingSites());
        int resolved = 0;
        for (TrackedMap record : state.trackedMaps()) {
            assertTrue(record.site().frame(0).startsWith(TrackingStateTest.class.getName() + ".growHere("));
            resolved++;
        }
        assertEquals(maps.size(), resolved);
        assertEquals(1, state.siteCount());
    }

    @Test
    void smallerTablesAreNotTrackedAndRepeatedResizesTrackOnce() {
        TrackingState state = state(10);
        HashMap<Object, Object> map = new HashMap<>();
        growHere(state, map);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 6_145, 8192);
        assertEquals(1, state.trackedCount());
        assertEquals(1, state.trackedTotal());
    }

    @Test
    void aPresizedMapIsSparseFromTheStart() {
        TrackingState state = state(10);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, new HashMap<>(), 0, 1 << 20);
        assertNotEquals(0, only(state).sparseSinceNanos());
        assertTrue(only(state).neverFilled());
    }

    @Test
    void theDrainEdgeMarksATrackedMapSparseAndTheScannerDoesNotRestartTheClock() {
        TrackingState state = state(10);
        HashMap<Object, Object> map = new HashMap<>();
        growHere(state, map);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, 511, 4096);
        long since = only(state).sparseSinceNanos();
        assertNotEquals(0, since);
        only(state).observe(true, 10, System.nanoTime(), 0);
        assertEquals(since, only(state).sparseSinceNanos(), "still sparse: the clock runs on");
        // A second edge: the map was back at the sparse limit just before, so it was refilled.
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, 511, 4096);
        assertEquals(1, only(state).refills());
        assertNotEquals(since, only(state).sparseSinceNanos(), "a new sparse spell");
        only(state).observe(false, 3_000, System.nanoTime(), 0);
        assertEquals(0, only(state).sparseSinceNanos(), "refilled: no longer sparse");
        assertFalse(only(state).neverFilled());
    }

    @Test
    void linkedHashMapsAreNamedAsSuch() {
        TrackingState state = state(10);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, new LinkedHashMap<>(), 3_073, 4096);
        assertEquals("LinkedHashMap", only(state).container());
    }

    /**
     * Stacks of 1 to 150 nested calls are 150 sites: each is kept once and found again, up to
     * {@code maxSites}; past it, maps share the one overflow site.
     */
    @Test
    void manySitesAreEachKeptOnceUpToTheCap() {
        TrackingState state = new TrackingState(new TrackingSettings(4096, 0.125, 1_000, 120, 200, false, false));
        List<Object> maps = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int depth = 1; depth <= 150; depth++) {
                HashMap<Object, Object> map = new HashMap<>();
                maps.add(map);
                growNested(state, map, depth);
            }
        }
        assertEquals(300, state.trackedCount());
        assertEquals(120, state.siteCount());
        java.util.IdentityHashMap<Site, Integer> perSite = new java.util.IdentityHashMap<>();
        for (TrackedMap record : state.trackedMaps()) {
            perSite.merge(record.site(), 1, Integer::sum);
        }
        assertEquals(121, perSite.size(), "120 sites and the overflow");
        for (java.util.Map.Entry<Site, Integer> e : perSite.entrySet()) {
            boolean overflow = e.getKey().frame(0).startsWith("<site not recorded");
            assertEquals(overflow ? 60 : 2, e.getValue(), e.getKey().frame(0));
        }
    }

    private static void growNested(TrackingState state, Object map, int depth) {
        if (depth > 1) {
            growNested(state, map, depth - 1);
        } else {
            state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 3_073, 4096);
        }
    }

    @Test
    void beyondTheCapMapsAreCountedNotTracked() {
        TrackingState state = state(2);
        List<Object> maps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HashMap<Object, Object> map = new HashMap<>();
            maps.add(map);
            growHere(state, map);
        }
        assertEquals(2, state.trackedCount());
        assertEquals(3, state.refusedMaps());
        assertEquals(1, state.siteCount(), "one site, shared");
    }

    @Test
    void collectedMapsAreForgotten() throws Exception {
        TrackingState state = state(10);
        growHere(state, new HashMap<>());
        for (int i = 0; i < 100 && state.trackedCount() > 0; i++) {
            System.gc();
            Thread.sleep(10);
            state.expungeCollected(Integer.MAX_VALUE);
        }
        assertEquals(0, state.trackedCount());
        assertEquals(1, state.trackedTotal());
    }

    /** More collected maps than one batch of removals, and a limit that stops between batches. */
    @Test
    void manyCollectedMapsAreForgottenInBatchesUpToTheLimit() throws Exception {
        TrackingState state = state(1_000);
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            HashMap<Object, Object> map = new HashMap<>();
            if (i % 3 == 0) {
                kept.add(map);
            }
            growHere(state, map);
        }
        assertEquals(300, state.trackedCount());
        int forgotten = 0;
        for (int i = 0; i < 100 && forgotten < 200; i++) {
            System.gc();
            Thread.sleep(10);
            int now = state.expungeCollected(70);
            assertTrue(now <= 70, "the limit: " + now);
            forgotten += now;
        }
        assertEquals(200, forgotten);
        assertEquals(100, state.trackedCount());
        int live = 0;
        for (TrackedMap record : state.trackedMaps()) {
            assertTrue(kept.stream().anyMatch(record::refersTo), "only kept maps are left");
            live++;
        }
        assertEquals(100, live);
    }

    @Test
    void aDrainOfAnUntrackedLargeMapIsTrackedFromThere() {
        TrackingState state = state(10);
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, new HashMap<>(), 511, 4096);
        assertEquals(Site.DRAIN_AFTER_ATTACH, only(state).site().kind());
        assertNotEquals(0, only(state).sparseSinceNanos());
        assertFalse(only(state).neverFilled(), "it was filled up to the sparse limit just before");
        assertEquals(512, only(state).peakSize(), "one more than the edge, at least");
    }

    @Test
    void failuresAreCountedAndRepeatedFailuresSwitchTrackingOff() {
        TrackingState state = state(10);
        MapTracker.install(state);
        try {
            for (int i = 0; i < TrackingState.MAX_FAILURES - 1; i++) {
                assertFalse(state.recordFailure(new IllegalStateException()));
            }
            assertTrue(state.recordFailure(new IllegalStateException()));
            assertEquals(TrackingState.MAX_FAILURES, state.failures());
            assertEquals("java.lang.IllegalStateException", state.lastFailure());
        } finally {
            MapTracker.uninstall();
        }
    }
}
