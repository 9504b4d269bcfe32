package dev.mapretention.scenarios;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM whose maps grew and drained before any agent could see them, each held in its own way,
 * for the heap census to find (run the census with {@code minCapacity=1024}). Driven like
 * {@link AttachTarget}: prints {@code READY pid}, answers each command line with
 * {@code COMMAND -> RESULT}.
 *
 * <p>Every map the census must find has a table length of its own, so that a test tells them
 * apart by capacity alone:
 * <pre>
 *      2,048  a local variable of the waiting thread "census-waiter"  (Waiter.run)
 *      4,096  the static field CensusScenario.STATIC
 *      8,192  the field Base.inherited of a Derived (Derived implements an interface with constants)
 *     16,384  the field Derived.own
 *     32,768  the interface constant Limits.TABLE
 *     65,536  an element of the Object[] in CensusScenario.SLOTS
 *    131,072  a value in the HashMap CensusScenario.BY_NAME
 *    262,144  the HashSet in the field Holder.names (Holder held by CensusScenario.HOLDER)
 *    524,288  the LinkedHashMap CensusScenario.LINKED
 *  1,048,576  pre-sized, one entry ever: the field Holder.presized
 *  8,388,608  pre-sized, drained: an element of the ArrayList CensusScenario.QUEUE
 * </pre>
 * and, where the agent tracks them, a ConcurrentHashMap in Registry.sessions (Registry held by
 * CensusScenario.REGISTRY) and an IdentityHashMap in a local variable of the waiting thread
 * "census-worker". Not to be reported: {@link #FULL} (kept full, 1,024 slots), {@link #SMALL}
 * (drained, 512 slots: below minCapacity), a pre-sized map of 2,097,152 slots reachable only
 * through a weak reference (garbage to the collector; {@code weak} says whether it still
 * exists) and one of 4,194,304 slots dropped outright.
 *
 * <p>Commands: {@code setup} (all of the above but the garbage; {@code setup light}: only STATIC,
 * SLOTS and the waiting thread), {@code garbage} (the two garbage maps), {@code weak},
 * {@code refill STATIC}, {@code bulk N} (N small live objects, every hundredth a small map with
 * a table: a heap walk that takes long), {@code small N} (N small live maps of every kind that has
 * a threshold, more at each, and, the first time, in {@link #LOW_LOAD} three drained maps: a HashMap of 1,024 slots and a
 * Hashtable of 1,535, both with a load factor of 0.25, whose thresholds are low for their tables,
 * and a ConcurrentHashMap of 8,192 slots, whose threshold is its sizeCtl), {@code property NAME
 * [VALUE]} (sets or clears a system property), {@code quit}.
 */
public final class CensusScenario {

    /** An interface with constants, so that JVMTI's field indices of its implementors shift. */
    interface Limits {
        int MAX = 10;
        String NAME = "limits";
        Map<Integer, String> TABLE = drained(16_000);
    }

    interface Named {
        String LABEL = "named";
    }

    static class Base implements Named {
        Object first = "first";
        Map<Integer, String> inherited;
        static Object baseStatic = "static";
    }

    static final class Derived extends Base implements Limits {
        Object second = "second";
        Map<Integer, String> own;
    }

    static final class Holder {
        final Set<Integer> names = new HashSet<>();
        final Map<Integer, String> presized = new HashMap<>(1 << 20);
    }

    static final class Registry {
        final Map<Integer, String> sessions = new ConcurrentHashMap<>();
    }

    static Map<Integer, String> STATIC;
    static Derived DERIVED;
    static Object[] SLOTS;
    static final Map<String, Map<Integer, String>> BY_NAME = new HashMap<>();
    static Holder HOLDER;
    static LinkedHashMap<Integer, String> LINKED;
    static final List<Object> QUEUE = new ArrayList<>();
    static Registry REGISTRY;
    static Map<Integer, String> FULL;
    static Map<Integer, String> SMALL;
    static WeakReference<Map<Integer, String>> WEAK;
    static Object[] BULK;
    static final List<Object[]> SMALL_MAPS = new ArrayList<>();
    static final List<Map<Integer, String>> LOW_LOAD = new ArrayList<>();
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final List<Thread> THREADS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            String result;
            switch (words[0]) {
                case "setup": result = setup(words.length > 1 && words[1].equals("light")); break;
                case "garbage": result = garbage(); break;
                case "bulk": BULK = bulk(Integer.parseInt(words[1])); result = "made"; break;
                case "small": SMALL_MAPS.add(smallMaps(Integer.parseInt(words[1]))); result = "made"; break;
                case "property":
                    if (words.length > 2) {
                        System.setProperty(words[1], words[2]);
                    } else {
                        System.clearProperty(words[1]);
                    }
                    result = "set";
                    break;
                case "weak": result = WEAK != null && WEAK.get() != null ? "still in the heap" : "collected"; break;
                case "refill": refill(STATIC, 3_000); result = "refilled"; break;
                case "quit":
                    RELEASE.countDown();
                    for (Thread t : THREADS) {
                        t.join();
                    }
                    System.out.println(line + " -> bye");
                    return;
                default: result = "unknown command";
            }
            System.out.println(line + " -> " + result);
        }
        RELEASE.countDown();
    }

    static String setup(boolean light) throws InterruptedException {
        STATIC = drained(2_000);
        SLOTS = new Object[] {"not a map", drained(32_000)};
        startWaiter("census-waiter", new Waiter());
        if (light) {
            return "set up (light)";
        }
        DERIVED = new Derived();
        DERIVED.inherited = drained(4_000);
        DERIVED.own = drained(8_000);
        if (Limits.TABLE.size() != 0) {
            throw new AssertionError("Limits.TABLE is drained");
        }
        BY_NAME.put("sessions", drained(64_000));
        BY_NAME.put("empty", new HashMap<>());
        HOLDER = new Holder();
        for (int i = 0; i < 128_000; i++) {
            HOLDER.names.add(i);
        }
        HOLDER.names.clear();
        HOLDER.presized.put(1, "one");
        LINKED = new LinkedHashMap<>();
        for (int i = 0; i < 256_000; i++) {
            LINKED.put(i, "v");
        }
        LINKED.clear();
        Map<Integer, String> queued = new HashMap<>(1 << 23);
        queued.put(1, "one");
        queued.remove(1);
        QUEUE.add("not a map");
        QUEUE.add(queued);
        REGISTRY = new Registry();
        for (int i = 0; i < 20_000; i++) {
            REGISTRY.sessions.put(i, "v");
        }
        REGISTRY.sessions.clear();
        startWaiter("census-worker", new IdentityWorker());
        FULL = new HashMap<>();
        refill(FULL, 700);
        SMALL = drained(300);
        return "set up";
    }

    /** Garbage the census must not report: made last, so that no collection has run since. */
    static String garbage() {
        Map<Integer, String> weaklyHeld = new HashMap<>(1 << 21);
        weaklyHeld.put(1, "one");
        weaklyHeld.remove(1);
        WEAK = new WeakReference<>(weaklyHeld);
        Map<Integer, String> dropped = new HashMap<>(1 << 22);
        dropped.put(1, "one");
        dropped.remove(1);
        return "made";
    }

    /** Many small live objects, for a heap walk that takes long; every 100th a small map with a table. */
    static Object[] bulk(int count) {
        Object[] objects = new Object[count];
        for (int i = 0; i < count; i++) {
            if (i % 100 == 0) {
                Map<Integer, Integer> small = new HashMap<>();
                small.put(i, i);
                objects[i] = small;
            } else {
                objects[i] = new Object();
            }
        }
        return objects;
    }

    /**
     * n small maps with one entry each, of the kinds whose threshold field tells a census their
     * table is short, held live; and, the first time, three drained maps the census must still
     * find (see the class comment).
     */
    static Object[] smallMaps(int n) {
        Object[] maps = new Object[n];
        for (int i = 0; i < n; i++) {
            Map<Integer, Integer> map;
            switch (i % 5) {
                case 0: map = new HashMap<>(); break;
                case 1: map = new LinkedHashMap<>(); break;
                case 2: map = new ConcurrentHashMap<>(); break;
                case 3: map = new Hashtable<>(); break;
                default: map = new WeakHashMap<>(); break;
            }
            map.put(i, i);
            maps[i] = map;
        }
        if (!LOW_LOAD.isEmpty()) {
            return maps;
        }
        Map<Integer, String> lowLoad = new HashMap<>(16, 0.25f);
        refill(lowLoad, 200);
        lowLoad.clear();
        LOW_LOAD.add(lowLoad);
        Map<Integer, String> lowLoadTable = new Hashtable<>(11, 0.25f);
        refill(lowLoadTable, 300);
        lowLoadTable.clear();
        LOW_LOAD.add(lowLoadTable);
        Map<Integer, String> concurrent = new ConcurrentHashMap<>();
        refill(concurrent, 5_000);
        concurrent.clear();
        LOW_LOAD.add(concurrent);
        return maps;
    }

    /** A HashMap filled with n entries, then cleared. */
    static Map<Integer, String> drained(int entries) {
        Map<Integer, String> map = new HashMap<>();
        refill(map, entries);
        map.clear();
        return map;
    }

    static void refill(Map<Integer, String> map, int entries) {
        for (int i = 0; i < entries; i++) {
            map.put(i, "v");
        }
    }

    private static void startWaiter(String name, Runnable body) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            started.countDown();
            body.run();
        }, name);
        THREADS.add(thread);
        thread.start();
        started.await();
    }

    /** Holds a drained map in a local variable while it waits. */
    static final class Waiter implements Runnable {
        @Override
        public void run() {
            Map<Integer, String> local = drained(1_000);
            awaitRelease();
            if (local.size() != 0) {
                throw new AssertionError("the local map is drained");
            }
        }
    }

    /** Holds a drained IdentityHashMap in a local variable while it waits. */
    static final class IdentityWorker implements Runnable {
        @Override
        public void run() {
            Map<Object, String> identities = new IdentityHashMap<>();
            for (int i = 0; i < 20_000; i++) {
                identities.put(new Object(), "v");
            }
            identities.clear();
            awaitRelease();
            if (identities.size() != 0) {
                throw new AssertionError("the local map is drained");
            }
        }
    }

    private static void awaitRelease() {
        try {
            RELEASE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
