package dev.mapretention.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * ConcurrentHashMaps grown by many threads at once. One map shared by eight threads that put into
 * it together (so its resizes are helped by several threads, and whichever finishes a transfer
 * installs the new table), then cleared: one map, one finding. Then eight threads that each grow
 * and clear a map of their own at the same site: eight maps, one finding.
 */
public final class ConcurrentGrowthScenario {

    static final int THREADS = 8;
    static final int PER_THREAD = 25_000;
    static final List<Object> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Map<Integer, Integer> shared = new ConcurrentHashMap<>();
        runAll(t -> fillShared(shared, t * PER_THREAD));
        // Under contention ConcurrentHashMap may skip resize checks: its real table length is
        // printed for the test (needs --add-opens java.base/java.util.concurrent=ALL-UNNAMED).
        java.lang.reflect.Field table = ConcurrentHashMap.class.getDeclaredField("table");
        table.setAccessible(true);
        System.out.println("SHARED_TABLE_LENGTH=" + ((Object[]) table.get(shared)).length);
        shared.clear();
        LIVE.add(shared);
        List<Map<Integer, Integer>> own = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            own.add(new ConcurrentHashMap<>());
        }
        runAll(t -> fillOwn(own.get(t)));
        for (Map<Integer, Integer> map : own) {
            map.clear();
        }
        LIVE.add(own);
        System.out.println("SCENARIO DONE");
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 1500);
    }

    interface Work {
        void run(int thread);
    }

    private static void runAll(Work work) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                work.run(id);
            }, "grower-" + t);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
    }

    static void fillShared(Map<Integer, Integer> map, int from) {
        for (int k = from; k < from + PER_THREAD; k++) {
            map.put(k, k);
        }
    }

    static void fillOwn(Map<Integer, Integer> map) {
        for (int k = 0; k < 20_000; k++) {
            map.put(k, k);
        }
    }
}
