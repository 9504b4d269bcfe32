package dev.mapretention.agent.census;

import dev.mapretention.agent.report.Owner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.mapretention.agent.census.Holders.ARRAY;
import static dev.mapretention.agent.census.Holders.ENTRY;
import static dev.mapretention.agent.census.Holders.H_ARRAY;
import static dev.mapretention.agent.census.Holders.H_FIELD;
import static dev.mapretention.agent.census.Holders.H_NONE;
import static dev.mapretention.agent.census.Holders.H_STATIC;
import static dev.mapretention.agent.census.Holders.H_TABLE;
import static dev.mapretention.agent.census.Holders.MAP;
import static dev.mapretention.agent.census.Holders.WRAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Putting the walks' records together into holders, on records written as the native census
 * writes them (the forked tests cover the walks themselves).
 */
class HoldersTest {

    private static final List<Wrapper> WRAPPERS = List.of(new Wrapper(HashSet.class, "map", true),
            new Wrapper(Map.class, "m", false), new Wrapper(ArrayList.class, "elementData", true));

    private final Map<Integer, Hop> hops = new TreeMap<>();

    private void hop(int id, int parent, int kind, int definition, String objectClass, int holderKind, String holderClass,
                     String referrerClass, String member) {
        hops.put(id, new Hop(id, parent, kind, definition, objectClass, holderKind, holderClass, referrerClass, member,
                null, null));
    }

    private Holders.Resolved resolve(int record, String container) {
        return new Holders(hops, WRAPPERS).resolve(record, container);
    }

    @Test
    void aMapInAHashSetIsHeldByWhatHoldsTheSetAndIsOne() {
        hop(2, 0, WRAPPER, 0, "java.util.LinkedHashSet", H_FIELD, "com.example.Cache", "com.example.Cache", "names");
        hop(1, 2, MAP, 0, "java.util.LinkedHashMap", H_FIELD, "java.util.HashSet", "java.util.LinkedHashSet", "map");
        Holders.Resolved resolved = resolve(1, "LinkedHashMap");
        assertEquals(Owner.field("com.example.Cache", "names", "com.example.Cache"), resolved.owner());
        assertEquals("LinkedHashSet", resolved.container());
    }

    @Test
    void aViewKeepsTheMapsOwnName() {
        hop(2, 0, WRAPPER, 1, "java.util.Collections$SynchronizedMap", H_STATIC, "com.example.Registry", null, "CACHE");
        hop(1, 2, MAP, 0, "java.util.HashMap", H_FIELD, "java.util.Collections$SynchronizedMap",
                "java.util.Collections$SynchronizedMap", "m");
        Holders.Resolved resolved = resolve(1, "HashMap");
        assertEquals(Owner.staticField("com.example.Registry", "CACHE"), resolved.owner());
        assertEquals("HashMap", resolved.container());
    }

    @Test
    void aMapInAnEntryOfAnotherMapIsAValueOfThatMap() {
        hop(3, 0, MAP, 0, "java.util.HashMap", H_STATIC, "com.example.Registry", null, "BY_NAME");
        hop(2, 3, ENTRY, -1, "java.util.HashMap$Node", H_TABLE, null, "[Ljava.util.HashMap$Node;", null);
        hop(1, 2, MAP, 0, "java.util.HashMap", H_FIELD, "java.util.HashMap$Node", "java.util.HashMap$Node", "value");
        assertEquals(Owner.inMap(false, "HashMap", Owner.staticField("com.example.Registry", "BY_NAME")),
                resolve(1, "HashMap").owner());
    }

    @Test
    void anEntryWhoseMapWasNotTracedStillSaysWhoseEntryItIs() {
        hop(2, 0, ENTRY, -1, "java.util.LinkedHashMap$Entry", H_NONE, null, null, null);
        hop(1, 2, MAP, 0, "java.util.HashMap", H_FIELD, "java.util.HashMap$Node", "java.util.LinkedHashMap$Entry", "key");
        assertEquals(Owner.inMap(true, "LinkedHashMap", null), resolve(1, "HashMap").owner());
    }

    @Test
    void aMapInAnArrayNamesTheArraysHolderAndAnArrayThatIsAMapsTableItsMap() {
        hop(2, 0, ARRAY, -1, "[Ljava.lang.Object;", H_STATIC, "com.example.Registry", null, "SLOTS");
        hop(1, 2, MAP, 0, "java.util.HashMap", H_ARRAY, null, "[Ljava.lang.Object;", null);
        assertEquals(Owner.arrayElement("[Ljava.lang.Object;", null, Owner.staticField("com.example.Registry", "SLOTS")),
                resolve(1, "HashMap").owner());

        // An IdentityHashMap keeps its values in its table: the table's record leads to the map.
        hop(5, 0, MAP, 1, "java.util.IdentityHashMap", H_FIELD, "com.example.Cache", "com.example.Cache", "identities");
        hop(4, 5, ARRAY, -1, "[Ljava.lang.Object;", H_TABLE, null, "java.util.IdentityHashMap", null);
        hop(3, 4, MAP, 0, "java.util.HashMap", H_ARRAY, null, "[Ljava.lang.Object;", null);
        assertEquals(Owner.inMap(false, "IdentityHashMap", Owner.field("com.example.Cache", "identities",
                "com.example.Cache")), resolve(3, "HashMap").owner());
    }

    @Test
    void aMapInAListIsAnElementOfThatListHeldByWhatHoldsTheList() {
        hop(3, 0, WRAPPER, 2, "java.util.ArrayList", H_STATIC, "com.example.Jobs", null, "PENDING");
        hop(2, 3, ARRAY, -1, "[Ljava.lang.Object;", H_FIELD, "java.util.ArrayList", "java.util.ArrayList", "elementData");
        hop(1, 2, MAP, 0, "java.util.HashMap", H_ARRAY, null, "[Ljava.lang.Object;", null);
        Holders.Resolved resolved = resolve(1, "HashMap");
        assertEquals(Owner.arrayElement("[Ljava.lang.Object;", "ArrayList", Owner.staticField("com.example.Jobs", "PENDING")),
                resolved.owner());
        assertEquals("HashMap", resolved.container(), "the map is still what it is");
    }

    @Test
    void aMapHeldThroughTheAgentsOwnObjectsIsNotTheApplications() {
        hop(2, 0, WRAPPER, 0, "java.util.HashSet", H_FIELD, "dev.mapretention.agent.boot.SiteTable",
                "dev.mapretention.agent.boot.SiteTable", "sites");
        hop(1, 2, MAP, 0, "java.util.HashMap", H_FIELD, "java.util.HashSet", "java.util.HashSet", "map");
        hop(4, 0, MAP, 0, "java.util.HashMap", H_STATIC, "dev.mapretention.scenarios.CensusScenario", null, "STATIC");
        Holders holders = new Holders(hops, WRAPPERS);
        assertTrue(holders.agentsOwn(1));
        assertFalse(holders.agentsOwn(4), "a class of the agent's tests is not the agent's");
    }

    @Test
    void aMapTheCensusLostTrackOfHasNoOwner() {
        assertEquals(null, resolve(0, "HashMap").owner());
        assertEquals("HashMap", resolve(0, "HashMap").container());
    }

    @Test
    void containersAreNamedAsTheApplicationWritesThem() {
        assertEquals("HashMap", Containers.name("java.util.HashMap"));
        assertEquals("ConcurrentHashMap.KeySetView", Containers.name("java.util.concurrent.ConcurrentHashMap$KeySetView"));
        assertEquals("Sessions", Containers.name("com.example.Cache$Sessions"));
        assertEquals("Cache$1", Containers.name("com.example.Cache$1"));
        assertEquals("HashMap", Containers.ofEntry("java.util.HashMap$TreeNode"));
    }
}
