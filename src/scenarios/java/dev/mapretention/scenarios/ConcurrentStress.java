package dev.mapretention.scenarios;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sixteen threads create, grow, drain, clear, refill and drop maps of all four HashMap-family
 * kinds (each thread its own maps, plus a few {@code Collections.synchronizedMap} maps they
 * share), and share ConcurrentHashMaps that they put into, compute on and remove from together
 * (so that their resizes are helped by several threads at once), and one that they put into and
 * clear while the others still put, for a bounded
 * time, while the agent scans every few milliseconds and another thread asks the agent's MXBean
 * for reports in a loop. Every map operation's result is checked.
 *
 * <p>At the end each thread deliberately leaves {@link #LEFT_PER_KIND} drained maps of each kind
 * alive, each kind grown through its own {@code leave...} method, and {@link #FULL_PER_THREAD} full
 * maps; the main thread refills and drains the shared maps (grown in {@code growShared}). Everything else is dropped and collected, then the
 * final report (a fresh census through the MXBean) is written to the file named by the first
 * argument, for the test to compare with what the threads left.
 *
 * <p>A watchdog dumps every thread and halts the JVM with status 3 if the work has not finished
 * in time (a deadlock, or a livelock). Prints {@code STRESS DONE ...} with counts; exits 1 when
 * any check failed.
 *
 * <p>Arguments: report file, work duration in ms, watchdog limit in ms.
 */
public final class ConcurrentStress {

    public static final int THREADS = 16;
    public static final int SHARED = 4;
    public static final int LEFT_PER_KIND = 2;
    static final int FULL_PER_THREAD = 2;
    /** Entries in each map left behind: a 4,096-slot table. */
    static final int LEFT_ENTRIES = 2_000;


    /** What the threads leave behind, alive until the JVM exits. */
    static final List<Object> LEFT_BEHIND = Collections.synchronizedList(new ArrayList<>());
    static final List<Map<Long, Long>> SHARED_MAPS = new ArrayList<>();
    static final List<ConcurrentHashMap<Long, Long>> SHARED_CONCURRENT = new ArrayList<>();
    /** Put into and cleared by every thread at once: only its absence of failures is checked. */
    static ConcurrentHashMap<Long, Long> clearedConcurrent;

    private static final AtomicLong ERRORS = new AtomicLong();
    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong REPORTS = new AtomicLong();
    private static volatile boolean workersDone;
    private static volatile boolean finished;

    private ConcurrentStress() {
    }

    public static void main(String[] args) throws Exception {
        Path reportFile = Path.of(args[0]);
        long workMillis = Long.parseLong(args[1]);
        long watchdogMillis = Long.parseLong(args[2]);
        startWatchdog(watchdogMillis);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName bean = AgentBean.awaitRegistered();

        for (int i = 0; i < SHARED; i++) {
            SHARED_MAPS.add(Collections.synchronizedMap(growShared()));
            SHARED_CONCURRENT.add(growSharedConcurrent());
        }
        clearedConcurrent = growClearedConcurrent();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(workMillis);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    work(id, deadline);
                    leaveBehind(id);
                } catch (Throwable e) {
                    fail("worker " + id, e);
                }
            }, "stress-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        Thread reporter = new Thread(() -> requestReports(server, bean), "stress-reporter");
        reporter.start();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        workersDone = true;
        reporter.join();

        for (Map<Long, Long> shared : SHARED_MAPS) {
            if (!shared.isEmpty()) {
                fail("shared map", new AssertionError("a shared map kept " + shared.size() + " entries"));
            }
            // Refill, then drain by clear: each shared map is left drained and alive.
            // (Through the synchronized wrapper, as the workers used it.)
            for (long k = 0; k < LEFT_ENTRIES; k++) {
                shared.put(k, k);
            }
            shared.clear();
        }
        for (ConcurrentHashMap<Long, Long> shared : SHARED_CONCURRENT) {
            if (!shared.isEmpty()) {
                fail("shared concurrent map", new AssertionError("kept " + shared.size() + " entries"));
            }
            for (long k = 0; k < LEFT_ENTRIES; k++) {
                shared.put(k, k);
            }
            shared.clear();
        }
        for (long k = 0; k < LEFT_ENTRIES; k++) {
            clearedConcurrent.put(k, k);
        }
        clearedConcurrent.clear();
        collectDroppedMaps();
        String json = (String) server.invoke(bean, "reportJson", null, null);
        Files.writeString(reportFile, json, StandardCharsets.UTF_8);
        finished = true;
        System.out.println("STRESS DONE threads=" + THREADS + " operations=" + OPERATIONS.get()
                + " reports=" + REPORTS.get() + " errors=" + ERRORS.get());
        System.exit(ERRORS.get() == 0 ? 0 : 1);
    }

    /** One thread's churn until the deadline: every kind of map, every way of draining. */
    static void work(int id, long deadline) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Collection<?>> kept = new ArrayList<>();
        for (long round = 0; System.nanoTime() < deadline; round++) {
            int entries = 1 + random.nextInt(3_000);
            int kind = (int) (round % 4);
            Object grown = kind < 2 ? growMap(kind == 1, entries) : growSet(kind == 3, entries);
            int drain = random.nextInt(4);
            if (grown instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<Integer, Integer> map = (Map<Integer, Integer>) grown;
                drainMap(map, entries, drain);
                if (drain == 3) {
                    refillMap(map, entries / 2);
                    keep(kept, map.keySet());
                }
            } else {
                @SuppressWarnings("unchecked")
                Set<Integer> set = (Set<Integer>) grown;
                drainSet(set, entries, drain);
                if (drain == 3) {
                    for (int i = 0; i < entries / 2; i++) {
                        check(set.add(i), "set refill");
                    }
                    keep(kept, set);
                }
            }
            churnShared(id, round, random.nextInt(512));
            churnConcurrent(id, round, random.nextInt(2_048));
            if (round % 8 == id % 8) {
                // Puts race with clears on the same map (and with its resizes): nothing may fail.
                for (long k = 0; k < 256; k++) {
                    clearedConcurrent.put(((long) id << 32) | k, k);
                }
                clearedConcurrent.clear();
            }
        }
    }

    /** Puts, computes on and removes this thread's own keys in a ConcurrentHashMap all threads share. */
    static void churnConcurrent(int id, long round, int entries) {
        ConcurrentHashMap<Long, Long> shared = SHARED_CONCURRENT.get((int) (round % SHARED));
        long base = ((long) id << 40) | (round << 16);
        for (long k = 0; k < entries; k++) {
            check(shared.put(base + k, k) == null, "concurrent put");
        }
        for (long k = 0; k < entries; k += 2) {
            long key = k;
            check(shared.compute(base + k, (kk, v) -> v == null ? -1 : v + 1) == key + 1, "concurrent compute");
        }
        for (long k = 0; k < entries; k++) {
            Long expected = k % 2 == 0 ? k + 1 : k;
            check(expected.equals(shared.remove(base + k)), "concurrent remove");
        }
        OPERATIONS.addAndGet(2L * entries + entries / 2);
    }

    /** A ConcurrentHashMap the threads will share, grown (and so tracked) here, then emptied. */
    static ConcurrentHashMap<Long, Long> growSharedConcurrent() {
        ConcurrentHashMap<Long, Long> map = new ConcurrentHashMap<>();
        for (long k = 0; k < LEFT_ENTRIES; k++) {
            map.put(k, k);
        }
        map.clear();
        return map;
    }

    static ConcurrentHashMap<Long, Long> growClearedConcurrent() {
        ConcurrentHashMap<Long, Long> map = new ConcurrentHashMap<>();
        for (long k = 0; k < LEFT_ENTRIES; k++) {
            map.put(k, k);
        }
        map.clear();
        return map;
    }

    private static void keep(List<Collection<?>> kept, Collection<?> c) {
        // A few maps survive some rounds, then are dropped: the agent sees maps die at all ages.
        kept.add(c);
        if (kept.size() > 8) {
            kept.remove(0);
        }
    }

    static Map<Integer, Integer> growMap(boolean linked, int entries) {
        Map<Integer, Integer> map = linked ? new LinkedHashMap<>() : new HashMap<>();
        for (int i = 0; i < entries; i++) {
            check(map.put(i, i) == null, "put of a new key");
        }
        check(map.size() == entries, "size after growth");
        return map;
    }

    static Set<Integer> growSet(boolean linked, int entries) {
        Set<Integer> set = linked ? new LinkedHashSet<>() : new HashSet<>();
        for (int i = 0; i < entries; i++) {
            check(set.add(i), "add of a new element");
        }
        check(set.size() == entries, "size after growth");
        return set;
    }

    static void drainMap(Map<Integer, Integer> map, int entries, int how) {
        switch (how) {
            case 0:
                map.clear();
                break;
            case 1:
                for (Iterator<Map.Entry<Integer, Integer>> it = map.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Integer, Integer> e = it.next();
                    check(e.getKey().equals(e.getValue()), "entry value");
                    it.remove();
                }
                break;
            case 2:
                check(map.keySet().removeIf(k -> true), "removeIf");
                break;
            default:
                for (int i = 0; i < entries; i++) {
                    check(Integer.valueOf(i).equals(map.remove(i)), "remove returns the value");
                }
        }
        check(map.isEmpty() && map.size() == 0 && !map.containsKey(0), "empty after drain");
    }

    static void refillMap(Map<Integer, Integer> map, int entries) {
        for (int i = 0; i < entries; i++) {
            check(map.put(i, i) == null, "refill put");
        }
        check(map.size() == entries, "size after refill");
    }

    static void drainSet(Set<Integer> set, int entries, int how) {
        switch (how) {
            case 0:
                set.clear();
                break;
            case 1:
                for (Iterator<Integer> it = set.iterator(); it.hasNext(); ) {
                    it.next();
                    it.remove();
                }
                break;
            case 2:
                check(set.removeIf(k -> true), "removeIf");
                break;
            default:
                for (int i = 0; i < entries; i++) {
                    check(set.remove(i), "remove of a present element");
                }
        }
        check(set.isEmpty() && !set.contains(0), "empty after drain");
    }

    /** Puts then removes this thread's own keys in a shared map: the other threads do the same. */
    static void churnShared(int id, long round, int entries) {
        Map<Long, Long> shared = SHARED_MAPS.get((int) (round % SHARED));
        long base = ((long) id << 40) | (round << 12);
        for (long k = 0; k < entries; k++) {
            check(shared.put(base + k, k) == null, "shared put");
        }
        for (long k = 0; k < entries; k++) {
            check(Long.valueOf(k).equals(shared.remove(base + k)), "shared remove");
        }
        OPERATIONS.addAndGet(2L * entries);
    }

    /** A map the threads will share, grown (and so tracked) here, then emptied. */
    static Map<Long, Long> growShared() {
        Map<Long, Long> map = new HashMap<>();
        for (long k = 0; k < LEFT_ENTRIES; k++) {
            map.put(k, k);
        }
        map.clear();
        return map;
    }

    static void leaveBehind(int id) {
        for (int i = 0; i < LEFT_PER_KIND; i++) {
            Map<Integer, Integer> map = leaveHashMap();
            drainMap(map, LEFT_ENTRIES, i % 4);
            Map<Integer, Integer> linked = leaveLinkedHashMap();
            drainMap(linked, LEFT_ENTRIES, (i + 1) % 4);
            Set<Integer> set = leaveHashSet();
            drainSet(set, LEFT_ENTRIES, (i + 2) % 4);
            Set<Integer> linkedSet = leaveLinkedHashSet();
            drainSet(linkedSet, LEFT_ENTRIES, (i + 3) % 4);
            LEFT_BEHIND.add(map);
            LEFT_BEHIND.add(linked);
            LEFT_BEHIND.add(set);
            LEFT_BEHIND.add(linkedSet);
            Map<Integer, Integer> concurrent = leaveConcurrentHashMap();
            drainMap(concurrent, LEFT_ENTRIES, i % 3);
            LEFT_BEHIND.add(concurrent);
        }
        for (int i = 0; i < FULL_PER_THREAD; i++) {
            LEFT_BEHIND.add(keepFull());
        }
    }

    static Map<Integer, Integer> leaveHashMap() {
        return growMap(false, LEFT_ENTRIES);
    }

    static Map<Integer, Integer> leaveConcurrentHashMap() {
        Map<Integer, Integer> map = new ConcurrentHashMap<>();
        for (int i = 0; i < LEFT_ENTRIES; i++) {
            check(map.put(i, i) == null, "put");
        }
        return map;
    }

    static Map<Integer, Integer> leaveLinkedHashMap() {
        return growMap(true, LEFT_ENTRIES);
    }

    static Set<Integer> leaveHashSet() {
        return growSet(false, LEFT_ENTRIES);
    }

    static Set<Integer> leaveLinkedHashSet() {
        return growSet(true, LEFT_ENTRIES);
    }

    static Map<Integer, Integer> keepFull() {
        return growMap(false, LEFT_ENTRIES);
    }

    /** Asks the MXBean for reports and attributes in a loop until the workers are done. */
    static void requestReports(MBeanServer server, ObjectName bean) {
        try {
            while (!workersDone) {
                String json = (String) server.invoke(bean, "reportJson", null, null);
                check(json.startsWith("{") && json.contains("\"format\": \"map-retention-report/1\"")
                        && json.trim().endsWith("}"), "a whole JSON report");
                long reports = REPORTS.incrementAndGet();
                if (reports % 8 == 0) {
                    String text = (String) server.invoke(bean, "reportText", null, null);
                    check(text.startsWith("map-retention report"), "a text report");
                    check((Long) server.getAttribute(bean, "TrackedMaps") >= 0, "TrackedMaps");
                    server.getAttribute(bean, "Findings");
                }
            }
        } catch (Throwable e) {
            fail("reporter", e);
        }
    }

    private static void collectDroppedMaps() throws InterruptedException {
        Object sentinel = new HashMap<>();
        WeakReference<Object> ref = new WeakReference<>(sentinel);
        sentinel = null;
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        System.gc();
        check(ref.get() == null, "the garbage collector ran");
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("check failed: " + what);
        }
    }

    private static void fail(String where, Throwable e) {
        if (ERRORS.getAndIncrement() < 10) {
            System.out.println("ERROR in " + where + ": " + e);
            e.printStackTrace(System.out);
        }
    }

    /** Dumps every thread (with locks and deadlocks) and halts if the work is not done in time. */
    private static void startWatchdog(long limitMillis) {
        Thread watchdog = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
            while (!finished && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!finished) {
                System.out.println("WATCHDOG: the work did not finish within " + limitMillis + " ms");
                dumpThreads();
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        }, "stress-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void dumpThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threads.findDeadlockedThreads();
        System.out.println("deadlocked threads: " + (deadlocked == null ? "none" : deadlocked.length));
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo monitor : info.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            for (LockInfo lock : info.getLockedSynchronizers()) {
                out.append("\t- holds ").append(lock).append('\n');
            }
            out.append('\n');
        }
        System.out.println(out);
    }
}
