package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps filled to 100,000 entries and emptied again, six times, a second apart, beside maps that
 * drain once, a pre-sized one and one left at 5% of its peak, so that the agent must tell a reused
 * table from a retained one. Each {@code cycle...} and {@code grow...} method fills its map itself,
 * so the finding's innermost site frame names it.
 *
 * <p>{@code held}: each cycling map (a HashMap and a ConcurrentHashMap, each cleared) is held full
 * for 200 ms, so the agent's scanner sees it full too. After the sixth cycle the program prints
 * {@code REUSED} and the MXBean's JSON report, then waits until the agent flags the cycling maps
 * (their refills stopped), and prints {@code STOPPED} and the report again, then the text report.
 *
 * <p>{@code between}: each cycle fills and empties its maps at once (a HashMap cleared, a HashMap
 * emptied by removals, a ConcurrentHashMap cleared, an IdentityHashMap emptied by removals), run
 * with a scan interval far longer than the program, so that only the hooks see the refills. It
 * prints {@code REUSED} and the report after the sixth cycle, then the text report.
 */
public final class ReuseScenario {

    public static final int ENTRIES = 100_000;
    public static final int CYCLES = 6;
    static final long PERIOD_MILLIS = 1_000;

    /** Keeps every map alive until the JVM exits. */
    static final List<Object> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args[0].equals("held")) {
            held();
        } else {
            between();
        }
    }

    private static void held() throws Exception {
        // The agent registers its MXBean once the application runs JMX: start it, and wait for it.
        AgentBean.awaitRegistered();
        Map<Integer, Integer> hashMap = new HashMap<>();
        Map<Integer, Integer> chm = new ConcurrentHashMap<>();
        LIVE.add(hashMap);
        LIVE.add(chm);
        Thread first = cycling("cycle-hashmap", () -> cycleHashMap(hashMap));
        Thread second = cycling("cycle-chm", () -> cycleConcurrentHashMap(chm));

        Map<Integer, Integer> once = growDrainedOnce();
        for (int i = 0; i < ENTRIES; i++) {
            once.remove(i);
        }
        presize();
        Map<Integer, Integer> partly = growPartlyDrained();
        for (int i = ENTRIES / 20; i < ENTRIES; i++) {
            partly.remove(i);
        }
        firstCaller().clear();
        secondCaller().clear();

        first.join();
        second.join();
        Thread.sleep(600);
        System.out.println("REUSED " + AgentBean.reportJson().replace('\n', ' '));
        // The refills have stopped: once sparse for more than three of their ~1 s cycles, the two
        // cycling maps are retained, beside the five oversized from the start.
        AgentBean.awaitOversized(7, 30);
        System.out.println("STOPPED " + AgentBean.reportJson().replace('\n', ' '));
        System.out.println(reportText());
        System.out.println("reused: " + attribute("ReusedMaps"));
    }

    private static void between() throws Exception {
        Map<Integer, Integer> cleared = new HashMap<>();
        Map<Integer, Integer> removed = new HashMap<>();
        Map<Integer, Integer> chm = new ConcurrentHashMap<>();
        Map<Integer, Integer> identity = new IdentityHashMap<>();
        LIVE.add(cleared);
        LIVE.add(removed);
        LIVE.add(chm);
        LIVE.add(identity);
        AgentBean.awaitRegistered(); // read at once after the last cycle
        long start = System.nanoTime();
        for (int c = 0; c < CYCLES; c++) {
            sleepUntil(start, c);
            fillHashMapToClear(cleared);
            cleared.clear();
            fillHashMapToRemove(removed);
            for (int i = 0; i < ENTRIES; i++) {
                removed.remove(i);
            }
            fillChmToClear(chm);
            chm.clear();
            List<Integer> keys = fillIdentityToRemove(identity);
            for (Integer key : keys) {
                identity.remove(key);
            }
        }
        Thread.sleep(600);
        System.out.println("REUSED " + AgentBean.reportJson().replace('\n', ' '));
        System.out.println(reportText());
    }

    // --- held: cycled on their own threads ---

    static void cycleHashMap(Map<Integer, Integer> map) throws InterruptedException {
        long start = System.nanoTime();
        for (int c = 0; c < CYCLES; c++) {
            sleepUntil(start, c);
            for (int i = 0; i < ENTRIES; i++) {
                map.put(i, i);
            }
            Thread.sleep(200);
            map.clear();
        }
    }

    static void cycleConcurrentHashMap(Map<Integer, Integer> map) throws InterruptedException {
        long start = System.nanoTime();
        for (int c = 0; c < CYCLES; c++) {
            sleepUntil(start, c);
            for (int i = 0; i < ENTRIES; i++) {
                map.put(i, i);
            }
            Thread.sleep(200);
            map.clear();
        }
    }

    // --- held: the maps that are oversized from the start ---

    static Map<Integer, Integer> growDrainedOnce() {
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, i);
        }
        LIVE.add(map);
        return map;
    }

    /** Room for a million entries; it holds three. */
    static void presize() {
        Map<Integer, Integer> map = new HashMap<>(1 << 20);
        for (int i = 0; i < 3; i++) {
            map.put(i, i);
        }
        LIVE.add(map);
    }

    static Map<Integer, Integer> growPartlyDrained() {
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, i);
        }
        LIVE.add(map);
        return map;
    }

    /** Two sites that share their innermost frame ({@link #sharedFill}) and differ in its caller. */
    static Map<Integer, Integer> firstCaller() {
        return sharedFill();
    }

    static Map<Integer, Integer> secondCaller() {
        return sharedFill();
    }

    static Map<Integer, Integer> sharedFill() {
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, i);
        }
        LIVE.add(map);
        return map;
    }

    // --- between: filled and emptied at once ---

    static void fillHashMapToClear(Map<Integer, Integer> map) {
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, i);
        }
    }

    static void fillHashMapToRemove(Map<Integer, Integer> map) {
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, i);
        }
    }

    static void fillChmToClear(Map<Integer, Integer> map) {
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, i);
        }
    }

    static List<Integer> fillIdentityToRemove(Map<Integer, Integer> map) {
        List<Integer> keys = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            Integer key = i + 1_000; // not one of the cached small Integers: one object per key
            keys.add(key);
            map.put(key, i);
        }
        return keys;
    }

    private interface Cycle {
        void run() throws InterruptedException;
    }

    private static Thread cycling(String name, Cycle cycle) {
        Thread t = new Thread(() -> {
            try {
                cycle.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    private static void sleepUntil(long startNanos, int cycle) throws InterruptedException {
        long wait = startNanos + cycle * PERIOD_MILLIS * 1_000_000L - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
    }

    private static Object reportText() throws Exception {
        return ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(AgentBean.OBJECT_NAME), "reportText",
                new Object[0], new String[0]);
    }

    private static Object attribute(String name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.getAttribute(new ObjectName(AgentBean.OBJECT_NAME), name);
    }
}
