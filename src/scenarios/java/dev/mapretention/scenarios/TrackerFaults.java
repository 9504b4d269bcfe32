package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs under the agent's test switch that makes every tracker event throw
 * ({@code -Ddev.mapretention.test.injectTrackerFailures=true}): every HashMap-family operation must
 * still do exactly what it should, before and after the tracker switches itself off.
 *
 * <p>Each round grows maps of all four kinds past the agent's minimum capacity (an event that fails
 * inside {@code resize}), drains them by remove, iterator, removeIf and clear (failing events inside
 * {@code removeNode} and {@code clear}), and compares every result with a TreeMap, which the agent
 * does not touch. It runs rounds until the agent's report says tracking is off, then as many again
 * (at least ten).
 *
 * <p>Prints {@code VERIFIED <n> operations}, then the agent line of the MXBean's text report, then
 * {@code FAULTS DONE}. Any wrong result throws, and the JVM exits non-zero.
 */
public final class TrackerFaults {

    private static final String BEAN = "dev.mapretention:type=MapRetention";
    private static final int ENTRIES = 300;

    private static long operations;

    private TrackerFaults() {
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName bean = new ObjectName(BEAN);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.isRegistered(bean)) {
            check(System.nanoTime() < deadline, BEAN + " registered");
            Thread.sleep(10);
        }
        int rounds = 0;
        while (!reportJson(server, bean).contains("\"trackingDisabled\": true")) {
            check(System.nanoTime() < deadline, "tracking switched off within 60 s");
            round(rounds++);
        }
        System.out.println("tracking switched off after " + rounds + " rounds");
        for (int i = 0; i < Math.max(rounds, 10); i++) {
            round(i);
        }
        System.out.println("VERIFIED " + operations + " operations");
        for (String line : ((String) server.invoke(bean, "reportText", null, null)).split("\n")) {
            if (line.startsWith("agent:")) {
                System.out.println("text report: " + line);
            }
        }
        System.out.println("FAULTS DONE");
    }

    private static String reportJson(MBeanServer server, ObjectName bean) throws Exception {
        return (String) server.invoke(bean, "reportJson", null, null);
    }

    static void round(int round) {
        List<Map<Integer, String>> maps = new ArrayList<>();
        maps.add(new HashMap<>());
        maps.add(new LinkedHashMap<>());
        maps.add(new LinkedHashMap<>(16, 0.75f, true));
        for (int m = 0; m < maps.size(); m++) {
            Map<Integer, String> map = maps.get(m);
            TreeMap<Integer, String> expected = new TreeMap<>();
            for (int i = 0; i < ENTRIES; i++) {
                String value = "v" + round + "-" + i;
                check(map.put(i, value) == null, "put of a new key returns null");
                expected.put(i, value);
                check(map.put(i, value).equals(value), "put of an old key returns the old value");
                operations += 2;
            }
            same(expected, map);
            drain(map, expected, (round + m) % 4);
            same(expected, map);
            // A drained map must work as before: refill and check again.
            for (int i = ENTRIES; i < ENTRIES + ENTRIES / 2; i++) {
                check(map.putIfAbsent(i, "again") == null, "putIfAbsent on a drained map");
                expected.put(i, "again");
                operations++;
            }
            same(expected, map);
        }
        Set<Integer> set = round % 2 == 0 ? new HashSet<>() : new LinkedHashSet<>();
        for (int i = 0; i < ENTRIES; i++) {
            check(set.add(i), "add of a new element");
            check(!set.add(i), "add of a present element");
            operations += 2;
        }
        check(set.size() == ENTRIES, "set size");
        for (int i = 0; i < ENTRIES; i++) {
            check(set.remove(i), "remove of a present element");
            check(!set.contains(i), "removed element gone");
            operations += 2;
        }
        check(set.isEmpty(), "set empty");
    }

    private static void drain(Map<Integer, String> map, TreeMap<Integer, String> expected, int how) {
        switch (how) {
            case 0:
                map.clear();
                expected.clear();
                operations++;
                break;
            case 1:
                for (Iterator<Integer> it = map.keySet().iterator(); it.hasNext(); ) {
                    Integer key = it.next();
                    it.remove();
                    expected.remove(key);
                    operations++;
                }
                break;
            case 2:
                check(map.entrySet().removeIf(e -> e.getKey() % 7 != 0), "removeIf removed entries");
                expected.entrySet().removeIf(e -> e.getKey() % 7 != 0);
                operations++;
                break;
            default:
                for (int i = 0; i < ENTRIES; i++) {
                    check(expected.remove(i).equals(map.remove(i)), "remove returns the value");
                    check(map.remove(i) == null, "second remove returns null");
                    operations += 2;
                }
        }
    }

    private static void same(TreeMap<Integer, String> expected, Map<Integer, String> map) {
        check(map.size() == expected.size(), "size " + map.size() + " == " + expected.size());
        check(map.equals(expected) && expected.equals(map), "same entries");
        for (Map.Entry<Integer, String> e : expected.entrySet()) {
            check(e.getValue().equals(map.get(e.getKey())), "get returns the value");
        }
        check(!map.containsKey(-1), "no stray key");
        operations += expected.size() + 1;
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("wrong result: " + what);
        }
    }
}
