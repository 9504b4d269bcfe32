package dev.mapretention.scenarios;

import java.util.HashMap;
import java.util.Map;

/**
 * Waits (at most 10 s) until the agent's thread has ended, as it does when the agent takes itself
 * out, then grows and clears a map and says what it saw: whether the boot-side tracker is still
 * installed, and whether the map work came out right.
 */
public final class LateMapWork {

    private LateMapWork() {
    }

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (AgentPresence.scannerRunning() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.println("agent thread running: " + AgentPresence.scannerRunning());
        Map<String, Integer> work = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            work.put("k" + i, i);
        }
        int grown = work.size();
        work.clear();
        System.out.println("map work: " + grown + " put, " + work.size() + " left");
        System.out.println("tracker installed: " + AgentPresence.trackerLive());
    }
}
