package dev.mapretention.scenarios;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each way a map can drain and stay oversized, and each way it must not be flagged, in one JVM.
 * Every {@code grow...} method grows one map itself, so the finding's innermost site frame names
 * it. Run with small grace and scan interval; the test reads the report written at exit.
 *
 * <p>Flagged: drained by remove, clear, iterator remove, removeIf on keySet and entrySet, compute
 * returning null; a LinkedHashMap, HashSet, LinkedHashSet, user subclasses, and a map pre-sized
 * far beyond the few entries it ever held. Not flagged: a map kept full, a drained map below
 * minCapacity, a map drained and refilled, and a drained map the program dropped.
 */
public final class CoreScenarios {

    static final int ENTRIES = 20_000;

    /** Keeps every map alive until the JVM exits. */
    static final List<Object> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Map<Integer, String> byRemove = growForRemove();
        for (int i = 0; i < ENTRIES; i++) {
            byRemove.remove(i);
        }
        growForClear().clear();
        Map<Integer, String> byIterator = growForIteratorRemove();
        for (Iterator<Integer> it = byIterator.keySet().iterator(); it.hasNext(); ) {
            it.next();
            it.remove();
        }
        growForKeySetRemoveIf().keySet().removeIf(k -> true);
        growForEntrySetRemoveIf().entrySet().removeIf(e -> e.getKey() >= 0);
        Map<Integer, String> byCompute = growForComputeNull();
        for (int i = 0; i < ENTRIES; i++) {
            byCompute.compute(i, (k, v) -> null);
        }
        Map<Integer, String> linked = growLinkedHashMap();
        for (int i = 0; i < ENTRIES; i++) {
            linked.remove(i);
        }
        Set<Integer> set = growHashSet();
        for (int i = 0; i < ENTRIES; i++) {
            set.remove(i);
        }
        growLinkedHashSet().clear();
        growUserSubclass().clear();
        growUserSetSubclass().clear();
        presizedNeverFilled();

        growKeptFull();
        growSmallDrained().clear();
        Map<Integer, String> refilled = growDrainedRefilled();
        refilled.clear();
        for (int i = 0; i < ENTRIES; i++) {
            refilled.put(i, "v");
        }
        System.out.println("dropped map collected: " + dropAndCollect());
        System.out.println("SCENARIOS DONE");
        // Let the agent scan (the grace and scan interval are short in the test), then exit:
        // the agent writes its final report at exit.
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "1500"));
    }

    static Map<Integer, String> growForRemove() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growForClear() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growForIteratorRemove() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growForKeySetRemoveIf() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growForEntrySetRemoveIf() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growForComputeNull() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growLinkedHashMap() {
        Map<Integer, String> map = new LinkedHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Set<Integer> growHashSet() {
        Set<Integer> set = new HashSet<>();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(i);
        }
        LIVE.add(set);
        return set;
    }

    static Set<Integer> growLinkedHashSet() {
        Set<Integer> set = new LinkedHashSet<>();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(i);
        }
        LIVE.add(set);
        return set;
    }

    /** A user's own subclass: the container is its simple name. */
    static final class SessionCache extends HashMap<Integer, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public int size() {
            throw new AssertionError("the agent must not call the application's size()");
        }
    }

    static Map<Integer, String> growUserSubclass() {
        Map<Integer, String> map = new SessionCache();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    /** A user's set whose own add is on the stack: the container is its simple name. */
    static final class TagSet extends HashSet<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean add(Integer tag) {
            return super.add(tag);
        }
    }

    static Set<Integer> growUserSetSubclass() {
        Set<Integer> set = new TagSet();
        for (int i = 0; i < ENTRIES; i++) {
            set.add(i);
        }
        LIVE.add(set);
        return set;
    }

    static void presizedNeverFilled() {
        Map<Integer, String> map = new HashMap<>(1 << 20);
        for (int i = 0; i < 3; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
    }

    static void growKeptFull() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
    }

    /** 1,000 entries: a 2,048-slot table, below the default minCapacity of 4,096. */
    static Map<Integer, String> growSmallDrained() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growDrainedRefilled() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growDroppedMap() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        return map;
    }

    /** Grows, drains and drops a map; true when the GC then cleared a weak reference to it. */
    static boolean dropAndCollect() throws InterruptedException {
        Map<Integer, String> map = growDroppedMap();
        map.clear();
        WeakReference<Object> ref = new WeakReference<>(map);
        map = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return ref.get() == null;
    }
}
