package dev.mapretention.agent.census;

import dev.mapretention.agent.boot.MapFields;

import java.util.HashMap;
import java.util.List;

/** The kinds of map the census looks for: every kind the agent tracks. */
public final class CensusKinds {

    private CensusKinds() {
    }

    /**
     * Today the HashMap family (LinkedHashMap, and the maps inside HashSet and LinkedHashSet, come
     * with it: the walk includes subclasses). Each further kind the agent tracks is one more entry
     * here, with its capacity and size readers.
     */
    public static List<CensusKind> tracked(MapFields hashMap) {
        return List.of(
                CensusKind.of("HashMap", HashMap.class, "table", hashMap::capacity, hashMap::size));
    }
}
