package dev.mapretention.agent.boot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The removal hooks' first test looks the size up by its bit length alone: for every tracked
 * capacity, whatever {@code minCapacity} and {@code sparseFill}, the size at its edge must pass
 * it (or that capacity's drains go unseen), and only sizes at some edge may.
 */
class SparseEdgesTest {

    @ParameterizedTest
    @CsvSource({"4096, 0.125", "4096, 0.3", "16, 0.01", "2, 0.001", "1024, 0.5", "1073741824, 0.125", "4096, 0.9999"})
    void everyTrackedCapacitysEdgePassesTheTestOnTheSizeAlone(int minCapacity, double sparseFill) {
        TrackingState state = new TrackingState(new TrackingSettings(minCapacity, sparseFill, 10, 100, 8, false, false));
        int[] edges = state.sparseEdges();
        int[] byLength = MapTracker.byLength(edges);
        int tracked = 0;
        for (int k = 0; k < edges.length; k++) {
            if (edges[k] == MapTracker.NEVER) {
                continue;
            }
            tracked++;
            int edge = edges[k];
            assertEquals(edge, byLength[32 - Integer.numberOfLeadingZeros(edge)], "capacity 2^" + k + ", edge " + edge);
        }
        assertTrue(tracked > 0);
        // Nothing else passes: the sizes a draining map takes between the edges.
        for (int size = 0; size < 1 << 20; size++) {
            boolean passes = size == byLength[32 - Integer.numberOfLeadingZeros(size)];
            boolean isEdge = false;
            for (int edge : edges) {
                isEdge |= edge == size;
            }
            assertEquals(isEdge, passes, "size " + size);
        }
    }
}
