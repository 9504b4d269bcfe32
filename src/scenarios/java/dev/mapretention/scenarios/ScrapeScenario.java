package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * A scraper's view of the MXBean: one drained map, then 200 scrapes in a row, each reading the
 * three attributes a Micrometer binder reads, as fast as it can. Prints {@code SCRAPES DONE} with
 * whether every scrape saw one consistent snapshot (oversized 1, wasted bytes the same in all).
 * Run with a long scan interval and {@code log=debug}: the test counts the agent's passes.
 */
public final class ScrapeScenario {

    static final Map<Integer, String> LIVE = new HashMap<>();

    public static void main(String[] args) throws Exception {
        Map<Integer, String> map = grow();
        map.clear();
        AgentBean.awaitOversized(1, 60);
        ObjectName bean = AgentBean.awaitRegistered();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        System.out.println("FLAGGED");
        long firstWaste = -1;
        boolean consistent = true;
        for (int i = 0; i < 200; i++) {
            long tracked = (Long) server.getAttribute(bean, "TrackedMaps");
            long oversized = (Long) server.getAttribute(bean, "OversizedMaps");
            long wasted = (Long) server.getAttribute(bean, "WastedBytes");
            firstWaste = firstWaste < 0 ? wasted : firstWaste;
            consistent &= tracked == 1 && oversized == 1 && wasted == firstWaste && wasted > 0;
        }
        System.out.println("SCRAPES DONE consistent=" + consistent + " kept=" + map.size());
    }

    static Map<Integer, String> grow() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            map.put(i, "v");
        }
        return map;
    }
}
