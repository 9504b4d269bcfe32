package dev.mapretention.scenarios;

import java.util.HashMap;
import java.util.Map;

/**
 * A hot loop of put and remove on one map, long enough for C2 to compile it. Run with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining}: with the agent's advice in place,
 * {@code HashMap.removeNode} must still be inlined into {@code HashMap.remove} ("inline (hot)"),
 * not refused as "hot method too big".
 */
public final class HotRemoveScenario {

    public static void main(String[] args) {
        Map<Integer, Integer> map = new HashMap<>();
        long sum = 0;
        for (int round = 0; round < 200; round++) {
            sum += churn(map);
        }
        System.out.println("SUM=" + sum);
    }

    static long churn(Map<Integer, Integer> map) {
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            map.put(i & 1023, i);
            Integer removed = map.remove((i * 7) & 1023);
            sum += removed == null ? 0 : removed;
        }
        return sum;
    }
}
