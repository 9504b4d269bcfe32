package dev.mapretention.scenarios;

import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hot loop of put, get and remove on one small map of the kind named by the argument
 * ({@code ConcurrentHashMap}, {@code Hashtable}, {@code IdentityHashMap}, {@code WeakHashMap}),
 * long enough for C2 to compile it. Run with {@code -XX:+UnlockDiagnosticVMOptions
 * -XX:+PrintInlining}: the test compares C2's inlining decisions for the map's methods with and
 * without the agent's hooks.
 */
public final class HotMapLoop {

    /** Stable key objects, so that an IdentityHashMap finds what was put. */
    private static final Integer[] KEYS = new Integer[1024];

    public static void main(String[] args) {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i;
        }
        Map<Integer, Integer> map;
        switch (args[0]) {
            case "ConcurrentHashMap": map = new ConcurrentHashMap<>(); break;
            case "Hashtable": map = new Hashtable<>(); break;
            case "IdentityHashMap": map = new IdentityHashMap<>(); break;
            case "WeakHashMap": map = new WeakHashMap<>(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        long sum = 0;
        for (int round = 0; round < 150; round++) {
            sum += churn(map);
        }
        System.out.println("SUM=" + sum);
    }

    static long churn(Map<Integer, Integer> map) {
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            map.put(KEYS[i & 1023], i);
            Integer got = map.get(KEYS[(i * 3) & 1023]);
            Integer removed = map.remove(KEYS[(i * 7) & 1023]);
            sum += (got == null ? 0 : 1) + (removed == null ? 0 : removed);
        }
        return sum;
    }
}
