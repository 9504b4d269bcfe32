package dev.mapretention.agent.census;


import dev.mapretention.agent.kinds.MapKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of map the census looks for: every kind the agent tracks, in the order of their
 * boot-side numbers ({@link MapKind#all()}), so that a found map's census kind is its tracked kind.
 */
public final class CensusKinds {

    private CensusKinds() {
    }

    /**
     * Each {@link MapKind} (subclasses come with each: the walk includes them, so LinkedHashMap
     * and the maps inside HashSet, LinkedHashSet, key-set views and Properties are found too),
     * read through the kind's own field readers.
     */
    public static List<CensusKind> tracked() {
        List<CensusKind> kinds = new ArrayList<>();
        for (MapKind kind : MapKind.all()) {
            String name = kind.mapClass().getSimpleName();
            kinds.add(CensusKind.of(name, kind.mapClass(), "table", kind.thresholdField(), kind.loadFactorField(),
                    kind::capacity,
                    map -> (int) Math.min(Integer.MAX_VALUE, kind.size(map, Long.MAX_VALUE))));
        }
        return List.copyOf(kinds);
    }
}
