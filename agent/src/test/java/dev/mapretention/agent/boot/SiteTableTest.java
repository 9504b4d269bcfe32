package dev.mapretention.agent.boot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which frames a site skips at its top: the collections' own (and their nested classes'), so
 * that a site starts at the code that called the collection, and nothing that only looks like
 * one.
 */
class SiteTableTest {

    @ParameterizedTest
    @ValueSource(strings = {"java.util.HashMap", "java.util.HashMap$TreeNode", "java.util.LinkedHashMap",
        "java.util.HashSet", "java.util.LinkedHashSet", "java.util.AbstractMap", "java.util.AbstractCollection",
        "java.util.AbstractSet", "java.util.Collection", "java.util.Map", "java.util.Set", "java.util.Dictionary",
        "java.util.Hashtable", "java.util.Properties", "java.util.Properties$EntrySet", "java.util.IdentityHashMap",
        "java.util.WeakHashMap", "java.util.concurrent.ConcurrentHashMap",
        "java.util.concurrent.ConcurrentHashMap$KeySetView", "java.util.concurrent.ConcurrentMap"})
    void skipsTheCollectionsFrames(String className) {
        assertTrue(SiteTable.isCollectionFrame(className), className);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.util.HashMapper", "java.util.Mapping", "java.util.Sets", "java.util.TreeMap",
        "java.util.ArrayList", "java.util.concurrent.ConcurrentHashMapX", "java.util.concurrent.ConcurrentSkipListMap",
        "java.util.stream.Collectors", "com.example.HashMap", "java.utilHashMap", "HashMap", "java.util.", "java.util"})
    void keepsEveryOtherFrame(String className) {
        assertFalse(SiteTable.isCollectionFrame(className), className);
    }
}
