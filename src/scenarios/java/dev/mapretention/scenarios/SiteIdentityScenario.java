package dev.mapretention.scenarios;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sites that differ only in which method of one class ran: the cases a site key of class and
 * bytecode index alone would merge. From one call site in {@link #dispatch}:
 * <ul>
 *   <li>two lambdas of this class with the same body ({@code fillOrders}, {@code fillUsers}), so
 *       that their {@code put} is at the same bytecode index, reached through a hidden frame;</li>
 *   <li>two methods with the same body ({@link #fillAccounts}, {@link #fillCarts}) called through
 *       reflection from one {@code Method.invoke}.</li>
 * </ul>
 * Each filler grows {@code MAPS_EACH} maps, which are cleared and kept. Each must come out as a
 * site of its own holding exactly its maps.
 */
public final class SiteIdentityScenario {

    public static final int MAPS_EACH = 3;
    static final int ENTRIES = 10_000;
    static final List<Object> LIVE = new ArrayList<>();

    static final Consumer<Map<Integer, Integer>> FILL_ORDERS = map -> {
        for (int k = 0; k < ENTRIES; k++) {
            map.put(k, k);
        }
    };
    static final Consumer<Map<Integer, Integer>> FILL_USERS = map -> {
        for (int k = 0; k < ENTRIES; k++) {
            map.put(k, k);
        }
    };

    public static void main(String[] args) throws Exception {
        Method accounts = SiteIdentityScenario.class.getDeclaredMethod("fillAccounts", Map.class);
        Method carts = SiteIdentityScenario.class.getDeclaredMethod("fillCarts", Map.class);
        List<Object> fillers = List.of(FILL_ORDERS, FILL_USERS, accounts, carts);
        for (int round = 0; round < MAPS_EACH; round++) {
            for (Object filler : fillers) {
                Map<Integer, Integer> map = new HashMap<>();
                dispatch(filler, map);
                map.clear();
                LIVE.add(map);
            }
        }
        System.out.println("SCENARIO DONE");
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 1500);
    }

    @SuppressWarnings("unchecked")
    static void dispatch(Object filler, Map<Integer, Integer> map) throws Exception {
        if (filler instanceof Method) {
            ((Method) filler).invoke(null, map);
        } else {
            ((Consumer<Map<Integer, Integer>>) filler).accept(map);
        }
    }

    static void fillAccounts(Map<Integer, Integer> map) {
        for (int k = 0; k < ENTRIES; k++) {
            map.put(k, k);
        }
    }

    static void fillCarts(Map<Integer, Integer> map) {
        for (int k = 0; k < ENTRIES; k++) {
            map.put(k, k);
        }
    }
}
