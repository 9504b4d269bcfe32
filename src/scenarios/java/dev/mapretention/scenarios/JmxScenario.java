package dev.mapretention.scenarios;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Two drained containers of different sizes for a JMX client to read: a HashMap grown by
 * {@link #growMap} (the larger waste) and a LinkedHashSet grown by {@link #growSet}. Prints
 * {@code FLAGGED} once the agent reports both as oversized, then keeps them alive until its
 * standard input closes (the test attaches to it meanwhile).
 */
public final class JmxScenario {

    public static void main(String[] args) throws Exception {
        Map<Integer, String> map = growMap();
        map.clear();
        Set<Integer> set = growSet();
        for (int i = 0; i < 20_000; i++) {
            set.remove(i);
        }
        AgentBean.awaitOversized(2, 60);
        System.out.println("FLAGGED");
        while (System.in.read() >= 0) {
            // wait for the test to close standard input
        }
        System.out.println("kept " + map.size() + set.size());
    }

    /** 100,000 entries: a table of 262,144 slots. */
    static Map<Integer, String> growMap() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            map.put(i, "v");
        }
        return map;
    }

    /** 20,000 elements: a table of 32,768 slots. */
    static Set<Integer> growSet() {
        Set<Integer> set = new LinkedHashSet<>();
        for (int i = 0; i < 20_000; i++) {
            set.add(i);
        }
        return set;
    }
}
