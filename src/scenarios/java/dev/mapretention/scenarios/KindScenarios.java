package dev.mapretention.scenarios;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each way a ConcurrentHashMap (with its key-set views and Properties), Hashtable,
 * IdentityHashMap and WeakHashMap can drain and stay oversized, and each way it must not be
 * flagged, in one JVM, as {@link CoreScenarios} does for the HashMap family. Every
 * {@code grow...} method fills one map itself, so the finding's innermost site frame names it.
 *
 * <p>Flagged, for each kind: drained by remove, by clear, by iterator remove or removeIf, and a map
 * pre-sized far beyond the few entries it ever held; a user subclass of each; a WeakHashMap whose
 * keys were all collected while nothing touched it. Not flagged: a map kept full, a drained map
 * below minCapacity, a map drained and refilled, and drained maps the program dropped (which must
 * be collected: the agent keeps none alive).
 */
public final class KindScenarios {

    static final int ENTRIES = 20_000;

    /** Keeps every map alive until the JVM exits. */
    static final List<Object> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        // ConcurrentHashMap
        Map<Integer, String> chm = growChmForRemove();
        for (int i = 0; i < ENTRIES; i++) {
            chm.remove(i);
        }
        growChmForClear().clear();
        growChmForRemoveIf().keySet().removeIf(k -> true);
        Map<Integer, String> byIterator = growChmForIteratorRemove();
        for (Iterator<Integer> it = byIterator.keySet().iterator(); it.hasNext(); ) {
            it.next();
            it.remove();
        }
        presizeChm();
        growChmSubclass().clear();
        Set<Integer> keySet = growKeySetView();
        for (int i = 0; i < ENTRIES; i++) {
            keySet.remove(i);
        }
        growPropertiesForClear().clear();
        // Hashtable
        Map<Integer, String> table = growHashtableForRemove();
        for (int i = 0; i < ENTRIES; i++) {
            table.remove(i);
        }
        growHashtableForClear().clear();
        growHashtableForRemoveIf().entrySet().removeIf(e -> true);
        presizeHashtable();
        growHashtableSubclass().clear();
        // IdentityHashMap
        Map<Object, String> identity = growIdentityForRemove();
        for (Object key : new ArrayList<>(identity.keySet())) {
            identity.remove(key);
        }
        growIdentityForClear().clear();
        growIdentityForRemoveIf().keySet().removeIf(k -> true);
        presizeIdentity();
        growIdentitySubclass().clear();
        // WeakHashMap
        Map<Integer, String> weak = growWeakForRemove();
        for (Integer key : new ArrayList<>(weak.keySet())) {
            weak.remove(key);
        }
        growWeakForClear().clear();
        growWeakForRemoveIf().keySet().removeIf(k -> true);
        presizeWeak();
        growWeakSubclass().clear();
        WeakReference<Object> firstKey = growWeakKeysCollected();

        // Not flagged
        growChmKeptFull();
        growHashtableKeptFull();
        growIdentityKeptFull();
        growWeakKeptFull();
        growChmSmallDrained().clear();
        growHashtableSmallDrained().clear();
        Map<Integer, String> refilled = growChmDrainedRefilled();
        refilled.clear();
        for (int i = 0; i < ENTRIES; i++) {
            refilled.put(i, "v");
        }
        Map<Integer, String> tableRefilled = growHashtableDrainedRefilled();
        tableRefilled.clear();
        for (int i = 0; i < ENTRIES; i++) {
            tableRefilled.put(i, "v");
        }
        System.out.println("weak keys collected: " + awaitCleared(firstKey));
        System.out.println("dropped maps collected: " + dropAndCollect());
        System.out.println("SCENARIOS DONE");
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "1500"));
    }

    // --- ConcurrentHashMap and what is built on it ---

    static Map<Integer, String> growChmForRemove() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growChmForClear() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growChmForRemoveIf() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growChmForIteratorRemove() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static void presizeChm() {
        Map<Integer, String> map = new ConcurrentHashMap<>(1 << 20);
        for (int i = 0; i < 3; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
    }

    static final class SessionRegistry extends ConcurrentHashMap<Integer, String> {
        private static final long serialVersionUID = 1L;
    }

    static Map<Integer, String> growChmSubclass() {
        Map<Integer, String> map = new SessionRegistry();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Set<Integer> growKeySetView() {
        Set<Integer> set = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(i);
        }
        LIVE.add(set);
        return set;
    }

    static Properties growPropertiesForClear() {
        Properties props = new Properties();
        for (int i = 0; i < ENTRIES; i++) {
            props.setProperty("key" + i, "v");
        }
        LIVE.add(props);
        return props;
    }

    static void growChmKeptFull() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
    }

    static Map<Integer, String> growChmSmallDrained() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growChmDrainedRefilled() {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    // --- Hashtable ---

    static Map<Integer, String> growHashtableForRemove() {
        Map<Integer, String> map = new Hashtable<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growHashtableForClear() {
        Map<Integer, String> map = new Hashtable<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growHashtableForRemoveIf() {
        Map<Integer, String> map = new Hashtable<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static void presizeHashtable() {
        Map<Integer, String> map = new Hashtable<>(1 << 20);
        for (int i = 0; i < 3; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
    }

    static final class LegacyRegistry extends Hashtable<Integer, String> {
        private static final long serialVersionUID = 1L;
    }

    static Map<Integer, String> growHashtableSubclass() {
        Map<Integer, String> map = new LegacyRegistry();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static void growHashtableKeptFull() {
        Map<Integer, String> map = new Hashtable<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
    }

    static Map<Integer, String> growHashtableSmallDrained() {
        Map<Integer, String> map = new Hashtable<>();
        for (int i = 0; i < 1_000; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growHashtableDrainedRefilled() {
        Map<Integer, String> map = new Hashtable<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    // --- IdentityHashMap ---

    static Map<Object, String> growIdentityForRemove() {
        Map<Object, String> map = new IdentityHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(new Object(), "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Object, String> growIdentityForClear() {
        Map<Object, String> map = new IdentityHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(new Object(), "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Object, String> growIdentityForRemoveIf() {
        Map<Object, String> map = new IdentityHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(new Object(), "v");
        }
        LIVE.add(map);
        return map;
    }

    static void presizeIdentity() {
        Map<Object, String> map = new IdentityHashMap<>(1 << 19);
        for (int i = 0; i < 3; i++) {
            map.put(new Object(), "v");
        }
        LIVE.add(map);
    }

    static final class ObjectRegistry extends IdentityHashMap<Object, String> {
        private static final long serialVersionUID = 1L;
    }

    static Map<Object, String> growIdentitySubclass() {
        Map<Object, String> map = new ObjectRegistry();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(new Object(), "v");
        }
        LIVE.add(map);
        return map;
    }

    static void growIdentityKeptFull() {
        Map<Object, String> map = new IdentityHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(new Object(), "v");
        }
        LIVE.add(map);
    }

    // --- WeakHashMap ---

    /** Strongly held keys of the weak maps that must keep their entries. */
    static final List<Object> KEYS = new ArrayList<>();

    static Map<Integer, String> growWeakForRemove() {
        Map<Integer, String> map = new WeakHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            Integer key = 1_000_000 + i;
            KEYS.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growWeakForClear() {
        Map<Integer, String> map = new WeakHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            Integer key = 2_000_000 + i;
            KEYS.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growWeakForRemoveIf() {
        Map<Integer, String> map = new WeakHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            Integer key = 3_000_000 + i;
            KEYS.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
        return map;
    }

    static void presizeWeak() {
        Map<Integer, String> map = new WeakHashMap<>(1 << 20);
        for (int i = 0; i < 3; i++) {
            Integer key = 4_000_000 + i;
            KEYS.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
    }

    static final class Canonicalizer extends WeakHashMap<Integer, String> {
    }

    static Map<Integer, String> growWeakSubclass() {
        Map<Integer, String> map = new Canonicalizer();
        for (int i = 0; i < ENTRIES; i++) {
            Integer key = 5_000_000 + i;
            KEYS.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
        return map;
    }

    /**
     * A cache keyed by objects that all die: the map is never touched again, so its size field
     * keeps saying 20,000; only the collector drained it.
     */
    static WeakReference<Object> growWeakKeysCollected() {
        Map<Object, String> map = new WeakHashMap<>();
        // Held until the map is full: a collection during the fill would drain it early, and the
        // puts after that would be a refill.
        List<Object> keys = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            Object key = new Object();
            keys.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
        WeakReference<Object> first = new WeakReference<>(keys.get(0));
        keys.clear();
        return first;
    }

    static void growWeakKeptFull() {
        Map<Integer, String> map = new WeakHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            Integer key = 6_000_000 + i;
            KEYS.add(key);
            map.put(key, "v");
        }
        LIVE.add(map);
    }

    // --- Dropped: one drained map of each kind, which must be collected ---

    static boolean dropAndCollect() throws InterruptedException {
        List<WeakReference<Object>> refs = new ArrayList<>();
        refs.add(drained(new ConcurrentHashMap<>()));
        refs.add(drained(new Hashtable<>()));
        refs.add(drained(new WeakHashMap<>()));
        Map<Object, String> identity = new IdentityHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            identity.put(new Object(), "v");
        }
        identity.clear();
        refs.add(new WeakReference<>(identity));
        identity = null;
        for (WeakReference<Object> ref : refs) {
            if (!awaitCleared(ref)) {
                return false;
            }
        }
        return true;
    }

    private static WeakReference<Object> drained(Map<Integer, String> map) {
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        map.clear();
        return new WeakReference<>(map);
    }

    static boolean awaitCleared(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return ref.get() == null;
    }
}
