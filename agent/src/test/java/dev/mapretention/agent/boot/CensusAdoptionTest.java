package dev.mapretention.agent.boot;

import org.junit.jupiter.api.Test;

import java.util.HashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A map a heap census found, taken into tracking ({@link TrackingState#adoptFound}). */
class CensusAdoptionTest {

    private static TrackingState state(int maxTracked) {
        return new TrackingState(new TrackingSettings(4096, 0.125, maxTracked, 100, 8, true, false));
    }

    @Test
    void aSparseFoundMapIsTrackedWithTheCensusSiteSparseSinceAnUnknownTime() {
        TrackingState state = state(10);
        HashMap<Object, Object> map = new HashMap<>();
        assertTrue(state.adoptFound(map, MapKinds.HASH_MAP, "HashSet", true, "owner"));
        TrackedMap record = state.trackedMaps().iterator().next();
        assertSame(map, record.get());
        assertEquals(Site.CENSUS, record.site().kind());
        assertEquals(0, record.site().depth());
        assertEquals("HashSet", record.container());
        assertEquals("owner", record.owner());
        assertTrue(record.sparseBeforeCensus());
        assertNotEquals(0, record.sparseSinceNanos());
        assertEquals(1, state.trackedTotal());
    }

    @Test
    void oneRefillEndsTheUnknownSparseTime() {
        TrackingState state = state(10);
        state.adoptFound(new HashMap<>(), MapKinds.HASH_MAP, "HashMap", true, null);
        TrackedMap record = state.trackedMaps().iterator().next();
        record.observe(false, 3_000, System.nanoTime(), 0);
        assertFalse(record.sparseBeforeCensus());
        record.observe(true, 0, System.nanoTime(), 0);
        assertFalse(record.sparseBeforeCensus(), "sparse again: since a known time now");
        assertNotEquals(0, record.sparseSinceNanos());
    }

    @Test
    void aMapTrackedAlreadyKeepsItsSiteAndGainsItsOwner() {
        TrackingState state = state(10);
        HashMap<Object, Object> map = new HashMap<>();
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, 3_073, 4096);
        TrackedMap record = state.trackedMaps().iterator().next();
        assertTrue(state.adoptFound(map, MapKinds.HASH_MAP, "LinkedHashMap", false, "field"));
        assertEquals(1, state.trackedCount());
        assertSame(record, state.trackedMaps().iterator().next());
        assertEquals(Site.GROWTH, record.site().kind());
        assertEquals("HashMap", record.container(), "the tracker's own container stays");
        assertEquals("field", record.owner());
        assertFalse(record.sparseBeforeCensus());
    }

    @Test
    void beyondMaxTrackedMapsAFoundMapIsCountedNotTracked() {
        TrackingState state = state(1);
        assertTrue(state.adoptFound(new HashMap<>(), MapKinds.HASH_MAP, "HashMap", false, null));
        assertFalse(state.adoptFound(new HashMap<>(), MapKinds.HASH_MAP, "HashMap", false, null));
        assertEquals(1, state.trackedCount());
        assertEquals(1, state.refusedMaps());
    }
}
