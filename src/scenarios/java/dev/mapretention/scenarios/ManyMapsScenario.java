package dev.mapretention.scenarios;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Many maps grown at one site and drained (to empty, or to a few entries), kept alive. Prints
 * the bytes they really waste, measured with {@link Instrumentation#getObjectSize}: their tables
 * minus the tables of {@code new HashMap<>(map)} copies, for the test to compare with the agent's
 * {@code wastedBytes}. Arguments: maps (2000), entries left in each (0), milliseconds to wait. Needs {@code --add-opens java.base/java.util=ALL-UNNAMED} (to read
 * the tables) and the byte-buddy-agent jar with {@code -Djdk.attach.allowAttachSelf=true} (for an
 * Instrumentation of its own).
 */
public final class ManyMapsScenario {

    static final int MAPS = 2_000;
    static final List<Map<Integer, Integer>> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int maps = args.length > 0 ? Integer.parseInt(args[0]) : MAPS;
        int left = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        for (int i = 0; i < maps; i++) {
            Map<Integer, Integer> map = growOne();
            for (int k = left; k < 4_000; k++) {
                map.remove(k);
            }
            LIVE.add(map);
        }
        Instrumentation instrumentation = net.bytebuddy.agent.ByteBuddyAgent.install();
        Field table = HashMap.class.getDeclaredField("table");
        table.setAccessible(true);
        long bytes = 0;
        for (Map<Integer, Integer> map : LIVE) {
            bytes += instrumentation.getObjectSize(table.get(map));
            Object copyTable = table.get(new HashMap<>(map));
            bytes -= copyTable == null ? 0 : instrumentation.getObjectSize(copyTable);
        }
        System.out.println("REAL_WASTED_BYTES=" + bytes);
        System.out.println("SCENARIO DONE");
        Thread.sleep(args.length > 2 ? Long.parseLong(args[2]) : 1500);
    }

    /** 4,000 entries: a table of 8,192 slots. */
    static Map<Integer, Integer> growOne() {
        Map<Integer, Integer> map = new HashMap<>();
        for (int k = 0; k < 4_000; k++) {
            map.put(k, k);
        }
        return map;
    }
}
