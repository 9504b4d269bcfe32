package dev.mapretention.agent.boot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The removal hooks' first test ({@link MapTracker#mayBeSparseEdge}) looks the size up by its
 * bit length alone: for every tracked capacity, whatever {@code minCapacity} and
 * {@code sparseFill}, the size at its edge must pass it (or that capacity's drains go unseen),
 * and only sizes at some edge may; with no tracker installed, none.
 */
class SparseEdgesTest {

    @ParameterizedTest
    @CsvSource({"4096, 0.125", "4096, 0.3", "16, 0.01", "2, 0.001", "1024, 0.5", "1073741824, 0.125", "4096, 0.9999"})
    void everyTrackedCapacitysEdgePassesTheTestOnTheSizeAlone(int minCapacity, double sparseFill) {
        TrackingState state = new TrackingState(new TrackingSettings(minCapacity, sparseFill, 10, 100, 8, false, false));
        int[] edges = state.sparseEdges();
        MapTracker.install(state);
        try {
            int tracked = 0;
            for (int k = 0; k < edges.length; k++) {
                if (edges[k] != MapTracker.NEVER) {
                    tracked++;
                    assertTrue(MapTracker.mayBeSparseEdge(edges[k]), "capacity 2^" + k + ", edge " + edges[k]);
                }
            }
            assertTrue(tracked > 0);
            // Nothing else passes: the sizes a draining map takes between the edges, and the largest.
            for (int size = 0; size < 1 << 20; size++) {
                assertEquals(isEdge(edges, size), MapTracker.mayBeSparseEdge(size), "size " + size);
            }
            for (int size = Integer.MAX_VALUE; size > Integer.MAX_VALUE - (1 << 16); size--) {
                assertEquals(isEdge(edges, size), MapTracker.mayBeSparseEdge(size), "size " + size);
            }
        } finally {
            MapTracker.uninstall();
        }
        for (int size = 0; size < 1 << 20; size++) {
            assertFalse(MapTracker.mayBeSparseEdge(size), "size " + size + " with no tracker");
        }
    }

    private static boolean isEdge(int[] edges, int size) {
        for (int edge : edges) {
            if (edge == size) {
                return true;
            }
        }
        return false;
    }
}
