package dev.mapretention.scenarios;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps of every kind beyond the HashMap family, each grown at its own site to 4,000 entries and
 * drained to {@code left}, kept alive; then prints, per container, the bytes they really waste,
 * measured with {@link Instrumentation#getObjectSize}: each map's table minus the table of the copy
 * that its kind's advice makes ({@code new ConcurrentHashMap<>(map)}, {@code new Hashtable<>(map)},
 * {@code new IdentityHashMap<>(map)}, {@code new WeakHashMap<>(map)}, a {@code new Properties()}
 * filled with {@code putAll}, a {@code ConcurrentHashMap.newKeySet(n)} filled with {@code addAll}),
 * for the test to compare with the agent's {@code wastedBytes}.
 *
 * <p>Arguments: ConcurrentHashMaps (2000), maps of each other kind (20), entries left in each (0),
 * milliseconds to wait. Needs {@code --add-opens} of java.util and java.util.concurrent (to read
 * the tables) and the byte-buddy-agent jar with {@code -Djdk.attach.allowAttachSelf=true}.
 */
public final class KindWasteScenario {

    static final int ENTRIES = 4_000;
    static final List<Object> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int concurrentMaps = Integer.parseInt(args[0]);
        int others = Integer.parseInt(args[1]);
        int left = Integer.parseInt(args[2]);
        List<ConcurrentHashMap<Integer, Integer>> chms = new ArrayList<>();
        for (int i = 0; i < concurrentMaps; i++) {
            chms.add(drain(growConcurrentHashMap(), left));
        }
        List<Hashtable<Integer, Integer>> tables = new ArrayList<>();
        List<IdentityHashMap<Integer, Integer>> identities = new ArrayList<>();
        List<WeakHashMap<Integer, Integer>> weaks = new ArrayList<>();
        List<Properties> properties = new ArrayList<>();
        List<Set<Integer>> keySets = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            tables.add(drain(growHashtable(), left));
            identities.add(drainIdentity(growIdentityHashMap(), left));
            weaks.add(drain(growWeakHashMap(), left));
            properties.add(drainProperties(growProperties(), left));
            Set<Integer> set = growKeySet();
            for (int k = left; k < ENTRIES; k++) {
                set.remove(k);
            }
            keySets.add(set);
        }
        LIVE.add(List.of(chms, tables, identities, weaks, properties, keySets));

        Instrumentation instrumentation = net.bytebuddy.agent.ByteBuddyAgent.install();
        Sizer sizer = new Sizer(instrumentation);
        long chmWaste = 0;
        for (ConcurrentHashMap<Integer, Integer> m : chms) {
            chmWaste += sizer.of(m) - sizer.of(new ConcurrentHashMap<>(m));
        }
        long tableWaste = 0;
        long identityWaste = 0;
        long weakWaste = 0;
        long propertiesWaste = 0;
        long keySetWaste = 0;
        for (int i = 0; i < others; i++) {
            tableWaste += sizer.of(tables.get(i)) - sizer.of(new Hashtable<>(tables.get(i)));
            identityWaste += sizer.of(identities.get(i)) - sizer.of(new IdentityHashMap<>(identities.get(i)));
            weakWaste += sizer.of(weaks.get(i)) - sizer.of(new WeakHashMap<>(weaks.get(i)));
            Properties copy = new Properties();
            copy.putAll(properties.get(i));
            propertiesWaste += sizer.ofProperties(properties.get(i)) - sizer.ofProperties(copy);
            Set<Integer> setCopy = ConcurrentHashMap.newKeySet(keySets.get(i).size());
            setCopy.addAll(keySets.get(i));
            keySetWaste += sizer.of(((ConcurrentHashMap.KeySetView<Integer, Boolean>) keySets.get(i)).getMap())
                    - sizer.of(((ConcurrentHashMap.KeySetView<Integer, Boolean>) setCopy).getMap());
        }
        System.out.println("REAL_WASTED_BYTES ConcurrentHashMap=" + chmWaste);
        System.out.println("REAL_WASTED_BYTES Hashtable=" + tableWaste);
        System.out.println("REAL_WASTED_BYTES IdentityHashMap=" + identityWaste);
        System.out.println("REAL_WASTED_BYTES WeakHashMap=" + weakWaste);
        System.out.println("REAL_WASTED_BYTES Properties=" + propertiesWaste);
        System.out.println("REAL_WASTED_BYTES ConcurrentHashMap.KeySetView=" + keySetWaste);
        System.out.println("SCENARIO DONE");
        Thread.sleep(args.length > 3 ? Long.parseLong(args[3]) : 1500);
    }

    /** Shallow sizes of maps' tables, read reflectively. */
    static final class Sizer {
        private final Instrumentation instrumentation;
        private final Field chmTable;
        private final Field hashtableTable;
        private final Field identityTable;
        private final Field weakTable;
        private final Field propertiesMap;

        Sizer(Instrumentation instrumentation) throws ReflectiveOperationException {
            this.instrumentation = instrumentation;
            chmTable = open(ConcurrentHashMap.class, "table");
            hashtableTable = open(Hashtable.class, "table");
            identityTable = open(IdentityHashMap.class, "table");
            weakTable = open(WeakHashMap.class, "table");
            propertiesMap = open(Properties.class, "map");
        }

        private static Field open(Class<?> owner, String name) throws NoSuchFieldException {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }

        long of(Object map) throws IllegalAccessException {
            Field table = map instanceof ConcurrentHashMap ? chmTable : map instanceof Properties ? null
                    : map instanceof Hashtable ? hashtableTable : map instanceof IdentityHashMap ? identityTable
                    : weakTable;
            Object t = table.get(map);
            return t == null ? 0 : instrumentation.getObjectSize(t);
        }

        long ofProperties(Properties props) throws IllegalAccessException {
            return of(propertiesMap.get(props));
        }
    }

    static <M extends Map<Integer, Integer>> M drain(M map, int left) {
        for (int k = left; k < ENTRIES; k++) {
            map.remove(k);
        }
        return map;
    }

    static IdentityHashMap<Integer, Integer> drainIdentity(IdentityHashMap<Integer, Integer> map, int left) {
        map.keySet().removeIf(k -> k >= left);
        return map;
    }

    static Properties drainProperties(Properties props, int left) {
        for (int k = left; k < ENTRIES; k++) {
            props.remove(k);
        }
        return props;
    }

    static ConcurrentHashMap<Integer, Integer> growConcurrentHashMap() {
        ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();
        for (int k = 0; k < ENTRIES; k++) {
            map.put(k, k);
        }
        return map;
    }

    static Hashtable<Integer, Integer> growHashtable() {
        Hashtable<Integer, Integer> map = new Hashtable<>();
        for (int k = 0; k < ENTRIES; k++) {
            map.put(k, k);
        }
        return map;
    }

    /** Keys are the boxed Integers of the cache (-128..127) or new objects: identity is what counts. */
    static IdentityHashMap<Integer, Integer> growIdentityHashMap() {
        IdentityHashMap<Integer, Integer> map = new IdentityHashMap<>();
        for (int k = 0; k < ENTRIES; k++) {
            map.put(Integer.valueOf(k), k);
        }
        return map;
    }

    /** The keys are held by {@link #LIVE} so that only removals drain the map. */
    static WeakHashMap<Integer, Integer> growWeakHashMap() {
        WeakHashMap<Integer, Integer> map = new WeakHashMap<>();
        List<Integer> keys = new ArrayList<>();
        for (int k = 0; k < ENTRIES; k++) {
            Integer key = k;
            keys.add(key);
            map.put(key, k);
        }
        LIVE.add(keys);
        return map;
    }

    static Properties growProperties() {
        Properties props = new Properties();
        for (int k = 0; k < ENTRIES; k++) {
            props.put(k, k);
        }
        return props;
    }

    static Set<Integer> growKeySet() {
        Set<Integer> set = ConcurrentHashMap.newKeySet();
        for (int k = 0; k < ENTRIES; k++) {
            set.add(k);
        }
        return set;
    }
}
