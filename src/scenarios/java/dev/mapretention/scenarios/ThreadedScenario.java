package dev.mapretention.scenarios;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Eight threads at once, each growing and draining maps of its own (drained by remove, kept
 * alive), while the agent scans. Each thread's map is grown in its own method so that the eight
 * sites are told apart: worker0 ... worker7.
 */
public final class ThreadedScenario {

    static final int THREADS = 8;
    static final int MAPS_PER_THREAD = 25;
    static final List<Object> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<List<Map<Integer, Integer>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Map<Integer, Integer>> mine = new ArrayList<>();
            results.add(mine);
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int m = 0; m < MAPS_PER_THREAD; m++) {
                        Map<Integer, Integer> map = grow(id);
                        for (int k = 0; k < 10_000; k++) {
                            map.remove(k);
                        }
                        mine.add(map);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "worker-" + t);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        LIVE.addAll(results);
        System.out.println("SCENARIO DONE");
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 1500);
    }

    static Map<Integer, Integer> grow(int id) {
        switch (id) {
            case 0: return worker0();
            case 1: return worker1();
            case 2: return worker2();
            case 3: return worker3();
            case 4: return worker4();
            case 5: return worker5();
            case 6: return worker6();
            default: return worker7();
        }
    }

    static Map<Integer, Integer> fill() {
        Map<Integer, Integer> map = new HashMap<>();
        for (int k = 0; k < 10_000; k++) {
            map.put(k, k);
        }
        return map;
    }

    static Map<Integer, Integer> worker0() {
        return fill();
    }

    static Map<Integer, Integer> worker1() {
        return fill();
    }

    static Map<Integer, Integer> worker2() {
        return fill();
    }

    static Map<Integer, Integer> worker3() {
        return fill();
    }

    static Map<Integer, Integer> worker4() {
        return fill();
    }

    static Map<Integer, Integer> worker5() {
        return fill();
    }

    static Map<Integer, Integer> worker6() {
        return fill();
    }

    static Map<Integer, Integer> worker7() {
        return fill();
    }
}
