package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapKinds;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The advice for a reused map names a constructor that gives it its peak size: built with the
 * number it names, a real map holds that many entries in its first table, never replaced.
 */
class SizedExpressionTest {

    private static final int[] PEAKS = {513, 1_000, 12_345, 100_000, 179_432};
    private static final Pattern ARGUMENT = Pattern.compile("\\((\\d+)\\)$");

    @Test
    void theHashMapFamilyGetsTheTableItWouldGrowToAllocatedOnce() throws Exception {
        MapKind kind = MapKind.of(MapKinds.HASH_MAP);
        Field table = field(HashMap.class, "table");
        for (int peak : PEAKS) {
            Map<Integer, Integer> grown = new HashMap<>();
            fill(grown, peak);
            int grownLength = ((Object[]) table.get(grown)).length;
            assertHoldsWithoutResize(kind, "HashMap", peak, HashMap::new, map -> table.get(map), grownLength);
            assertHoldsWithoutResize(kind, "LinkedHashMap", peak, LinkedHashMap::new, map -> table.get(map), grownLength);
        }
        Field setMap = field(HashSet.class, "map");
        for (int peak : PEAKS) {
            for (String container : new String[] {"HashSet", "LinkedHashSet"}) {
                int n = argument(kind.sizedExpression(container, peak));
                HashSet<Integer> set = container.equals("HashSet") ? new HashSet<>(n) : new LinkedHashSet<>(n);
                set.add(-1);
                Object first = table.get(setMap.get(set));
                for (int i = 0; i < peak - 1; i++) {
                    set.add(i);
                }
                assertSame(first, table.get(setMap.get(set)), container + " peak " + peak);
            }
        }
    }

    @Test
    void hashtableIdentityAndWeakMapsHoldTheirPeakInTheirFirstTable() throws Exception {
        Field hashtable = field(Hashtable.class, "table");
        Field identity = field(IdentityHashMap.class, "table");
        Field weak = field(WeakHashMap.class, "table");
        Integer[] keys = new Integer[PEAKS[PEAKS.length - 1]];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i; // strongly held, so that the WeakHashMap keeps them
        }
        for (int peak : PEAKS) {
            assertFirstTableKept(MapKind.of(MapKinds.HASHTABLE), "Hashtable", peak, Hashtable::new, hashtable, keys);
            assertFirstTableKept(MapKind.of(MapKinds.IDENTITY_HASH_MAP), "IdentityHashMap", peak,
                    IdentityHashMap::new, identity, keys);
            assertFirstTableKept(MapKind.of(MapKinds.WEAK_HASH_MAP), "WeakHashMap", peak, WeakHashMap::new, weak, keys);
        }
    }

    @Test
    void concurrentMapsAndSubclassesAreNamedForTheirEntries() {
        MapKind kind = MapKind.of(MapKinds.CONCURRENT_HASH_MAP);
        // These constructors are documented to take the number of entries to hold.
        assertEquals("new ConcurrentHashMap<>(100000)", kind.sizedExpression("ConcurrentHashMap", 100_000));
        assertEquals("ConcurrentHashMap.newKeySet(100000)", kind.sizedExpression("ConcurrentHashMap.KeySetView", 100_000));
        assertEquals("new Properties(100000)", kind.sizedExpression("Properties", 100_000));
        assertEquals("a new SessionCache with room for 100000 entries",
                MapKind.of(MapKinds.HASH_MAP).sizedExpression("SessionCache", 100_000));
    }

    private interface TableOf {
        Object get(Object map) throws Exception;
    }

    private static void assertHoldsWithoutResize(MapKind kind, String container, int peak,
                                                 IntFunction<Map<Integer, Integer>> make, TableOf table,
                                                 int grownLength) throws Exception {
        String expression = kind.sizedExpression(container, peak);
        assertTrue(expression.startsWith("new " + container + "<>("), expression);
        Map<Integer, Integer> map = make.apply(argument(expression));
        map.put(-1, -1);
        Object first = table.get(map);
        fill(map, peak - 1);
        assertSame(first, table.get(map), expression + " regrew below " + peak);
        assertEquals(grownLength, ((Object[]) first).length, expression);
    }

    private static void assertFirstTableKept(MapKind kind, String container, int peak,
                                             IntFunction<Map<Integer, Integer>> make, Field table,
                                             Integer[] keys) throws Exception {
        String expression = kind.sizedExpression(container, peak);
        Map<Integer, Integer> map = make.apply(argument(expression));
        map.put(keys[0], 0);
        Object first = table.get(map);
        for (int i = 1; i < peak; i++) {
            map.put(keys[i], i);
        }
        assertEquals(peak, map.size(), expression);
        assertSame(first, table.get(map), expression + " regrew below " + peak);
    }

    private static void fill(Map<Integer, Integer> map, int n) {
        for (int i = 0; i < n; i++) {
            map.put(i, i);
        }
    }

    private static int argument(String expression) {
        Matcher m = ARGUMENT.matcher(expression);
        assertTrue(m.find(), expression);
        return Integer.parseInt(m.group(1));
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
