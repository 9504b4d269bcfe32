package dev.mapretention.agent.kinds;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap census skips a map without a reference to it when its threshold field says its table
 * is short (census.c: a threshold below half the shortest table worth reporting, less one, with
 * a load factor of 0.5 or more). That holds only if, in this JDK, every map whose table is that
 * long has a threshold at least that high, a negative one, or a load factor below 0.5: checked
 * here on real maps of each kind, grown, pre-sized, cleared and with unusual load factors, and
 * the fields the kinds name are there, declared by the kind's class, of the right type.
 */
class CensusThresholdTest {

    private static final int[] MIN_LENGTHS = {16, 1_000, 1_024, 4_096, 65_536};
    private static final float[] LOAD_FACTORS = {0.25f, 0.5f, 0.75f, 1.0f, 4.0f};

    @Test
    void theFieldsEachKindNamesAreTheKindsOwnIntAndFloat() throws ReflectiveOperationException {
        int named = 0;
        for (MapKind kind : MapKind.all()) {
            if (kind.thresholdField() == null) {
                assertEquals(null, kind.loadFactorField(), kind.toString());
                continue;
            }
            named++;
            Field threshold = kind.mapClass().getDeclaredField(kind.thresholdField());
            assertEquals(int.class, threshold.getType(), threshold.toString());
            assertTrue(!Modifier.isStatic(threshold.getModifiers()), threshold.toString());
            if (kind.loadFactorField() != null) {
                Field loadFactor = kind.mapClass().getDeclaredField(kind.loadFactorField());
                assertEquals(float.class, loadFactor.getType(), loadFactor.toString());
                assertTrue(!Modifier.isStatic(loadFactor.getModifiers()), loadFactor.toString());
            }
        }
        assertEquals(4, named, "HashMap, ConcurrentHashMap, Hashtable and WeakHashMap keep a threshold");
    }

    @Test
    void noMapWithALongTableHasAThresholdThatSaysItIsShort() throws ReflectiveOperationException {
        List<Supplier<Map<Integer, Integer>>> makers = new ArrayList<>();
        makers.add(HashMap::new);
        makers.add(LinkedHashMap::new);
        makers.add(ConcurrentHashMap::new);
        makers.add(Hashtable::new);
        makers.add(WeakHashMap::new);
        for (float loadFactor : LOAD_FACTORS) {
            makers.add(() -> new HashMap<>(16, loadFactor));
            makers.add(() -> new Hashtable<>(11, loadFactor));
            makers.add(() -> new WeakHashMap<>(16, loadFactor));
            makers.add(() -> new ConcurrentHashMap<>(16, loadFactor));
        }
        int checked = 0;
        for (Supplier<Map<Integer, Integer>> maker : makers) {
            for (int entries : new int[] {1, 13, 700, 3_000, 50_000}) {
                Map<Integer, Integer> grown = maker.get();
                for (int i = 0; i < entries; i++) {
                    grown.put(i, i);
                }
                checked += check(grown);
                grown.clear();
                checked += check(grown);
            }
        }
        for (int presized : new int[] {0, 1, 1_000, 1 << 16, 100_000}) {
            List<Map<Integer, Integer>> maps = List.of(new HashMap<>(presized), new Hashtable<>(presized),
                    new WeakHashMap<>(presized), new ConcurrentHashMap<>(presized), new HashMap<>(presized, 0.3f));
            for (Map<Integer, Integer> map : maps) {
                map.put(1, 1);
                checked += check(map);
            }
        }
        assertEquals(makers.size() * 5 * 2 + 5 * 5, checked, "maps checked");
    }

    /** Checks one map against every shortest length; returns 1. */
    private static int check(Map<Integer, Integer> map) throws ReflectiveOperationException {
        MapKind kind = kindOf(map);
        Object table = read(map, kind.mapClass(), "table");
        int length = table == null ? 0 : Array.getLength(table);
        int threshold = (int) read(map, kind.mapClass(), kind.thresholdField());
        float loadFactor = kind.loadFactorField() == null ? 0.75f
                : (float) read(map, kind.mapClass(), kind.loadFactorField());
        for (int minLength : MIN_LENGTHS) {
            boolean skipped = threshold >= 0 && threshold < minLength / 2 - 1 && loadFactor >= 0.5f;
            assertTrue(!(skipped && length >= minLength), map.getClass().getSimpleName() + " with a table of "
                    + length + ", threshold " + threshold + ", load factor " + loadFactor + " would be skipped by a"
                    + " census looking for tables of " + minLength);
        }
        return 1;
    }

    private static MapKind kindOf(Object map) {
        for (MapKind kind : MapKind.all()) {
            if (kind.mapClass().isInstance(map)) {
                assertNotNull(kind.thresholdField(), kind.toString());
                return kind;
            }
        }
        throw new AssertionError("no kind for " + map.getClass());
    }

    private static Object read(Object map, Class<?> declaring, String name) throws ReflectiveOperationException {
        Field field = declaring.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(map);
    }
}
