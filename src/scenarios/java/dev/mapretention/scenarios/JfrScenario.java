package dev.mapretention.scenarios;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Two maps become oversized under a flight recording: a HashMap grown by {@link #growMap} and
 * drained to empty, and a HashSet grown by {@link #growSet} and shrunk to 100 elements. Once the
 * agent's MXBean reports both as oversized, the program prints the MXBean's JSON report
 * ({@code REPORT ...}, one line), then either keeps both maps while the agent scans many more
 * times (each map must still give one event only), or drops them at once, as an application
 * that reacts to the MXBean would (their events must already be recorded). The recording is
 * written at exit.
 *
 * <p>Arguments: {@code keep} or {@code drop}, then how long to go on afterwards, in milliseconds.
 */
public final class JfrScenario {

    public static void main(String[] args) throws Exception {
        Map<Integer, String> map = growMap();
        map.clear();
        Set<Integer> set = growSet();
        for (int i = 100; i < 20_000; i++) {
            set.remove(i);
        }
        AgentBean.awaitOversized(2, 60);
        System.out.println("REPORT " + AgentBean.reportJson().replace('\n', ' '));
        if (args[0].equals("drop")) {
            map = null;
            set = null;
            System.gc();
        }
        Thread.sleep(Long.parseLong(args[1]));
        System.out.println("kept " + (map == null ? "none" : map.size() + set.size()));
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
        Set<Integer> set = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            set.add(i);
        }
        return set;
    }
}
