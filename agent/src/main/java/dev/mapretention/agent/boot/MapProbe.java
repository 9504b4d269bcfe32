package dev.mapretention.agent.boot;

/**
 * A short-lived lookup key for the side table: equal to the {@link TrackedMap} of the same map,
 * without allocating a weak reference for every lookup.
 */
final class MapProbe {

    private final Object map;
    private final int identityHash;

    MapProbe(Object map, int identityHash) {
        this.map = map;
        this.identityHash = identityHash;
    }

    @Override
    public int hashCode() {
        return identityHash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrackedMap && ((TrackedMap) other).get() == map;
    }
}
