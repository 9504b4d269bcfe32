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
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The advice for a reused map names a constructor that gives it, from the start, the table it
 * grew to: built with the number the expression names, a real map's first table is as long as
 * that of a map grown to the same peak, and holds that peak without being replaced.
 */
class SizedExpressionTest {

    private static final int[] PEAKS = {513, 1_000, 3_073, 12_345, 100_000, 179_432};
    private static final Pattern ARGUMENT = Pattern.compile("\\((\\d+)\\)$");

    private static final Integer[] KEYS = new Integer[200_000];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i; // one object per key, strongly held (IdentityHashMap, WeakHashMap)
        }
    }

    @Test
    void hashMapFamily() throws Exception {
        MapKind kind = MapKind.of(MapKinds.HASH_MAP);
        Field table = field(HashMap.class, "table");
        TableOf ofMap = table::get;
        check(kind, "HashMap", HashMap::new, HashMap::new, ofMap);
        check(kind, "LinkedHashMap", LinkedHashMap::new, LinkedHashMap::new, ofMap);
        Field setMap = field(HashSet.class, "map");
        TableOf ofSet = set -> table.get(setMap.get(set));
        checkSet(kind, "HashSet", HashSet::new, HashSet::new, ofSet);
        checkSet(kind, "LinkedHashSet", LinkedHashSet::new, LinkedHashSet::new, ofSet);
    }

    @Test
    void concurrentHashMapAndWhatIsBuiltOnIt() throws Exception {
        MapKind kind = MapKind.of(MapKinds.CONCURRENT_HASH_MAP);
        Field table = field(ConcurrentHashMap.class, "table");
        check(kind, "ConcurrentHashMap", ConcurrentHashMap::new, ConcurrentHashMap::new, table::get);
        Field viewMap = field(ConcurrentHashMap.KeySetView.class.getSuperclass(), "map"); // CollectionView.map
        checkSet(kind, "ConcurrentHashMap.KeySetView", ConcurrentHashMap::newKeySet, ConcurrentHashMap::newKeySet,
                view -> table.get(viewMap.get(view)));
        Field propertiesMap = field(Properties.class, "map");
        check(kind, "Properties", Properties::new, Properties::new, props -> table.get(propertiesMap.get(props)));
    }

    @Test
    void hashtableIdentityHashMapAndWeakHashMap() throws Exception {
        check(MapKind.of(MapKinds.HASHTABLE), "Hashtable", Hashtable::new, Hashtable::new,
                field(Hashtable.class, "table")::get);
        check(MapKind.of(MapKinds.IDENTITY_HASH_MAP), "IdentityHashMap", IdentityHashMap::new, IdentityHashMap::new,
                field(IdentityHashMap.class, "table")::get);
        check(MapKind.of(MapKinds.WEAK_HASH_MAP), "WeakHashMap", WeakHashMap::new, WeakHashMap::new,
                field(WeakHashMap.class, "table")::get);
    }

    @Test
    void aSubclassIsToldTheTableItNeeds() {
        assertEquals("a new SessionCache created with a 262,144-slot table",
                MapKind.of(MapKinds.HASH_MAP).sizedExpression("SessionCache", 262_144));
    }

    private interface TableOf {
        Object get(Object map) throws Exception;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void check(MapKind kind, String container, Supplier<? extends Map> grow,
                              IntFunction<? extends Map> sized, TableOf table) throws Exception {
        for (int peak : PEAKS) {
            Map grown = grow.get();
            for (int i = 0; i < peak; i++) {
                grown.put(KEYS[i], KEYS[i]);
            }
            int length = ((Object[]) table.get(grown)).length;
            // The agent's capacity: the table's length, but key slots (half of it) for IdentityHashMap.
            String expression = kind.sizedExpression(container, container.equals("IdentityHashMap") ? length / 2 : length);
            Map map = sized.apply(argument(expression));
            map.put(KEYS[0], KEYS[0]);
            Object first = table.get(map);
            for (int i = 1; i < peak; i++) {
                map.put(KEYS[i], KEYS[i]);
            }
            assertSame(first, table.get(map), expression + " regrew below " + peak + " entries");
            assertEquals(length, ((Object[]) first).length, expression);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void checkSet(MapKind kind, String container, Supplier<? extends Set> grow,
                                 IntFunction<? extends Set> sized, TableOf table) throws Exception {
        for (int peak : PEAKS) {
            Set grown = grow.get();
            for (int i = 0; i < peak; i++) {
                grown.add(KEYS[i]);
            }
            Object grownTable = table.get(grown);
            String expression = kind.sizedExpression(container, ((Object[]) grownTable).length);
            Set set = sized.apply(argument(expression));
            set.add(KEYS[0]);
            Object first = table.get(set);
            for (int i = 1; i < peak; i++) {
                set.add(KEYS[i]);
            }
            assertSame(first, table.get(set), expression + " regrew below " + peak + " entries");
            assertEquals(((Object[]) grownTable).length, ((Object[]) first).length, expression);
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
