package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Many small maps, to show what tracking costs in memory. Two modes:
 *
 * <ul>
 *   <li>{@code churn COUNT DIR}: creates and drops COUNT maps of all four kinds, each big enough to
 *       be tracked under {@code minCapacity=16}; then collects them and waits until the agent's
 *       tracked count is back where it started. Writes the MXBean's JSON report before and after
 *       to {@code DIR/before.json} and {@code DIR/after.json}; prints the heap in use after a full
 *       collection before and after, and the tracked counts (the MXBean's census after a full
 *       collection, so every dropped map has been found dead).</li>
 *   <li>{@code hold COUNT [REPORT_FILE]}: creates COUNT maps and keeps them all alive; prints the
 *       heap each one costs (heap after a full collection, less the heap before, over COUNT). With
 *       the agent and a report file, it first waits until the scanner has rewritten the report
 *       ten times after saying that maps were refused, so the test sees the scanner's log after
 *       many scans.</li>
 * </ul>
 * Runs with or without the agent ({@code hold} is run both ways and compared).
 */
public final class MapChurn {


    /** Written so the JIT cannot drop the maps it creates. */
    static volatile Object sink;

    private MapChurn() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "churn":
                churnMode(count, Path.of(args[2]));
                break;
            case "hold":
                holdMode(count, args.length > 2 ? Path.of(args[2]) : null);
                break;
            default:
                throw new IllegalArgumentException("mode: churn or hold");
        }
    }

    private static void churnMode(int count, Path dir) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName bean = AgentBean.awaitRegistered();
        churn(10_000);
        collect();
        long trackedStart = tracked(server, bean);
        long heapStart = usedHeapAfterGc();
        Files.writeString(dir.resolve("before.json"), report(server, bean), StandardCharsets.UTF_8);

        long churnStart = System.nanoTime();
        churn(count);
        long churnMillis = (System.nanoTime() - churnStart) / 1_000_000;

        collect();
        long trackedEnd = tracked(server, bean);
        long heapEnd = usedHeapAfterGc();
        Files.writeString(dir.resolve("after.json"), report(server, bean), StandardCharsets.UTF_8);
        System.out.println("maps=" + count + " churnMillis=" + churnMillis + " trackedStart=" + trackedStart
                + " trackedEnd=" + trackedEnd + " heapStart=" + heapStart + " heapEnd=" + heapEnd);
    }

    /** Creates and drops {@code count} maps: each gets a 16-slot table, so each is tracked. */
    static void churn(int count) {
        for (int i = 0; i < count; i++) {
            sink = newSmallCollection(i);
        }
        sink = null;
    }

    private static Object newSmallCollection(int i) {
        switch (i & 3) {
            case 0: {
                Map<Integer, Integer> map = new HashMap<>();
                map.put(i, i);
                return map;
            }
            case 1: {
                Map<Integer, Integer> map = new LinkedHashMap<>();
                map.put(i, i);
                map.remove(i);
                return map;
            }
            case 2: {
                Set<Integer> set = new HashSet<>();
                set.add(i);
                return set;
            }
            default: {
                Set<Integer> set = new LinkedHashSet<>();
                set.add(i);
                set.clear();
                return set;
            }
        }
    }

    private static void holdMode(int count, Path reportFile) throws Exception {
        churn(10_000);
        long heapStart = usedHeapAfterGc();
        Object[] held = new Object[count];
        for (int i = 0; i < count; i++) {
            held[i] = newSmallCollection(i);
        }
        if (reportFile != null) {
            awaitReport(reportFile, "\"refusedMaps\": 0,", false);
            for (int scans = 0; scans < 10; scans++) {
                String seen = Files.readString(reportFile);
                awaitReport(reportFile, seen, false);
            }
        }
        long heapEnd = usedHeapAfterGc();
        System.out.println("held=" + held.length + " bytesPerMap=" + (heapEnd - heapStart) / count);
    }

    /** Waits until the report file exists and does (or does not) contain {@code text}. */
    private static void awaitReport(Path file, String text, boolean contains) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String content = Files.isRegularFile(file) ? Files.readString(file) : null;
            if (content != null && content.contains(text) == contains) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("report " + file + (contains ? " never held " : " never changed from ")
                        + text);
            }
            Thread.sleep(5);
        }
    }

    /** From a fresh report: the TrackedMaps attribute may answer from a pass up to a scan interval old. */
    private static long tracked(MBeanServer server, ObjectName bean) throws Exception {
        String json = report(server, bean);
        return Long.parseLong(json.replaceAll("(?s).*\"trackedMaps\": (\\d+).*", "$1"));
    }

    private static String report(MBeanServer server, ObjectName bean) throws Exception {
        return (String) server.invoke(bean, "reportJson", null, null);
    }

    /** Collects until a fresh weak reference is cleared, so every dropped map has been found dead. */
    private static void collect() throws InterruptedException {
        Object probe = new Object();
        WeakReference<Object> ref = new WeakReference<>(probe);
        probe = null;
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        if (ref.get() != null) {
            throw new IllegalStateException("the garbage collector did not run");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            collect();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
