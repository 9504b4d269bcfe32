package dev.mapretention.agent.boot;

/** Drives a {@link TrackingState} with the events its hooks make, for tests outside this package. */
public final class TrackingStateDriver {

    private final TrackingState state;

    public TrackingStateDriver(TrackingState state) {
        this.state = state;
    }

    /** A resize hook: the map now has {@code size} entries in {@code capacity} slots. */
    public void resized(Object map, int size, int capacity) {
        state.onEvent(MapKinds.HASH_MAP, TrackingState.RESIZED, map, size, capacity);
    }

    /** A site of these frames (innermost first), as a map's growth would have it. */
    public static Site growthSite(String... frames) {
        return new Site(Site.GROWTH, frames);
    }

    /** A drain hook: the removal edge ({@code size} the edge) or a clear's start ({@code size} 0). */
    public void drained(Object map, int size, int capacity) {
        state.onEvent(MapKinds.HASH_MAP, TrackingState.DRAINED, map, size, capacity);
    }
}
