package dev.mapretention.scenarios;

import dev.mapretention.agent.boot.MapTracker;
import dev.mapretention.agent.boot.TrackerControl;
import dev.mapretention.agent.boot.TrackingSettings;
import dev.mapretention.agent.boot.TrackingState;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JVM for the agent to be attached to while it runs, driven step by step: each line on standard
 * input is a command, answered by one line {@code COMMAND -> RESULT} on standard output, so that a
 * test waits for exactly the step it needs and nothing depends on timing. It starts without the
 * agent and prints {@code READY pid}.
 *
 * <ul>
 *   <li>{@code grow NAME N}: a new HashMap of N entries, kept under NAME (grown in {@link #grow})</li>
 *   <li>{@code growConcurrent NAME N}: a new ConcurrentHashMap of N entries (in {@link #growConcurrent})</li>
 *   <li>{@code drain NAME}: removes every entry one by one (in {@link #drain})</li>
 *   <li>{@code regrow NAME N}: puts N more entries, so that the table grows again (in {@link #regrow})</li>
 *   <li>{@code clear NAME}: {@code clear()} (in {@link #clear})</li>
 *   <li>{@code tracker}: whether java.util.HashMap's code calls the agent's tracker now (see
 *       {@link TrackerProbe}); only while the agent is detached</li>
 *   <li>{@code retransform}: another agent retransforms java.util.HashMap, as an APM agent may at
 *       any time (Byte Buddy's self-attach: needs byte-buddy-agent on the class path and
 *       {@code -Djdk.attach.allowAttachSelf=true})</li>
 *   <li>{@code quit}: ends the JVM</li>
 * </ul>
 */
public final class AttachTarget {

    /** The maps, by name; a TreeMap, so that the program's own bookkeeping is no HashMap. */
    static final Map<String, Map<Integer, String>> MAPS = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            String result;
            switch (words[0]) {
                case "grow": MAPS.put(words[1], grow(Integer.parseInt(words[2]))); result = "grown"; break;
                case "growConcurrent":
                    MAPS.put(words[1], growConcurrent(Integer.parseInt(words[2])));
                    result = "grown";
                    break;
                case "drain": drain(MAPS.get(words[1])); result = "drained"; break;
                case "regrow": regrow(MAPS.get(words[1]), Integer.parseInt(words[2])); result = "regrown"; break;
                case "clear": clear(MAPS.get(words[1])); result = "cleared"; break;
                case "tracker": result = TrackerProbe.check(); break;
                case "retransform": result = retransformHashMap(); break;
                case "quit": System.out.println(line + " -> bye"); return;
                default: result = "unknown command";
            }
            System.out.println(line + " -> " + result);
        }
    }

    static Map<Integer, String> grow(int entries) {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(i, "v");
        }
        return map;
    }

    static Map<Integer, String> growConcurrent(int entries) {
        Map<Integer, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(i, "v");
        }
        return map;
    }

    static void drain(Map<Integer, String> map) {
        for (Integer key : map.keySet().toArray(new Integer[0])) {
            map.remove(key);
        }
    }

    static void regrow(Map<Integer, String> map, int more) {
        int start = map.size();
        for (int i = start; i < start + more; i++) {
            map.put(i, "v");
        }
    }

    static void clear(Map<Integer, String> map) {
        map.clear();
    }

    /** Retransforms HashMap through an Instrumentation of this program's own, changing nothing. */
    private static String retransformHashMap() throws Exception {
        return ForeignRetransform.retransform(HashMap.class) == 1 ? "retransformed" : "not retransformed";
    }

    /**
     * Whether HashMap's code calls the tracker now: with a tracking state of its own installed,
     * a map grows past the minimum capacity and the state is asked whether it saw it. This is the
     * behaviour itself; HashMap's class file cannot show it reliably, because a retransformation
     * starts from the class file as the JVM first cached it (an earlier agent sees the original
     * bytes while the advice is in), and after a restore the JVM's rebuilt class file keeps the
     * merged constant pool, MapTracker's entries included, though no code refers to them.
     */
    static final class TrackerProbe {

        private TrackerProbe() {
        }

        static String check() {
            try {
                Class.forName("dev.mapretention.agent.boot.MapTracker", false, null);
            } catch (ClassNotFoundException e) {
                return "the tracker was never loaded";
            }
            return checkLoaded();
        }

        private static String checkLoaded() {
            TrackerControl control = MapTracker.claim();
            if (control == null) {
                return "the agent's tracker is claimed: detach first";
            }
            TrackingState state = new TrackingState(new TrackingSettings(4096, 0.125, 10, 10, 4, false, false));
            control.install(state);
            try {
                grow(10_000);
            } finally {
                control.release();
            }
            return state.trackedTotal() > 0 ? "HashMap calls the tracker" : "HashMap does not call the tracker";
        }
    }
}
