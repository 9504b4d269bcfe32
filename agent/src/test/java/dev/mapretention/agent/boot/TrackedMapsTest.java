package dev.mapretention.agent.boot;

import org.junit.jupiter.api.Test;

import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The side table of tracked maps: found by the map's identity (never by its equality), one record
 * per live map, removable by the record the collector enqueues, and a table that shrinks again
 * once its maps are gone.
 */
class TrackedMapsTest {

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

    private TrackedMap record(Object map) {
        return record(map, System.identityHashCode(map));
    }

    private TrackedMap record(Object map, int hash) {
        return new TrackedMap(map, hash, queue, MapKinds.HASH_MAP, 0, false);
    }

    @Test
    void findsARecordByItsMapsIdentityNotByEquality() {
        TrackedMaps table = new TrackedMaps();
        List<Integer> map = new ArrayList<>(List.of(1, 2));
        List<Integer> equal = new ArrayList<>(List.of(1, 2));
        TrackedMap record = record(map);
        assertNull(table.addIfAbsent(record, map));
        assertSame(record, table.find(map, System.identityHashCode(map)));
        assertNull(table.find(equal, System.identityHashCode(equal)));
        assertEquals(1, table.size());
    }

    @Test
    void aSecondRecordOfTheSameMapIsRefusedAndTheFirstReturned() {
        TrackedMaps table = new TrackedMaps();
        Object map = new Object();
        TrackedMap first = record(map);
        assertNull(table.addIfAbsent(first, map));
        assertSame(first, table.addIfAbsent(record(map), map));
        assertEquals(1, table.size());
    }

    @Test
    void mapsWithOneHashAreToldApartAndRemovedOneByOne() {
        TrackedMaps table = new TrackedMaps();
        Object[] maps = new Object[40];
        TrackedMap[] records = new TrackedMap[maps.length];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = new Object();
            records[i] = record(maps[i], 42);
            assertNull(table.addIfAbsent(records[i], maps[i]));
        }
        for (int i = 0; i < maps.length; i += 2) {
            table.remove(records[i]);
        }
        for (int i = 0; i < maps.length; i++) {
            assertSame(i % 2 == 0 ? null : records[i], table.find(maps[i], 42), "map " + i);
        }
        // A removed map's slot is taken again, and the map is found again.
        TrackedMap again = record(maps[0], 42);
        assertNull(table.addIfAbsent(again, maps[0]));
        assertSame(again, table.find(maps[0], 42));
        assertEquals(maps.length / 2 + 1, table.size());
    }

    @Test
    void growsForManyRecordsAndShrinksWhenTrimmedAfterTheyAreGone() {
        TrackedMaps table = new TrackedMaps();
        int n = 100_000;
        Object[] maps = new Object[n];
        TrackedMap[] records = new TrackedMap[n];
        for (int i = 0; i < n; i++) {
            maps[i] = new Object();
            records[i] = record(maps[i]);
            assertNull(table.addIfAbsent(records[i], maps[i]));
        }
        assertEquals(n, table.size());
        assertEquals(n, count(table));
        assertTrue(table.capacity() >= 2 * n, "at most half full: " + table.capacity());
        for (int i = 0; i < n; i++) {
            assertSame(records[i], table.find(maps[i], records[i].hashCode()));
        }
        int grown = table.capacity();
        for (int i = 0; i < n / 2; i++) {
            table.remove(records[i]);
        }
        table.removeAll(java.util.Arrays.copyOfRange(records, n / 2, n - 10), n / 2 - 10);
        assertEquals(10, table.size());
        assertEquals(10, count(table));
        assertEquals(grown, table.capacity(), "removals alone never rebuild");
        table.trim();
        assertTrue(table.capacity() <= 128, "trimmed: " + table.capacity());
        for (int i = n - 10; i < n; i++) {
            assertSame(records[i], table.find(maps[i], records[i].hashCode()));
        }
        table.remove(records[n - 1]);
        table.remove(records[n - 1]);
        assertEquals(9, table.size());
        table.clear();
        assertEquals(0, table.size());
        assertNull(table.find(maps[n - 2], records[n - 2].hashCode()));
    }

    @Test
    void aCollectedMapsRecordIsRemovedByTheReferenceTheCollectorEnqueues() throws InterruptedException {
        TrackedMaps table = new TrackedMaps();
        Object kept = new Object();
        TrackedMap keptRecord = record(kept);
        table.addIfAbsent(keptRecord, kept);
        addUnreachable(table);
        assertEquals(2, table.size());
        java.lang.ref.Reference<?> enqueued = null;
        for (int i = 0; i < 50 && enqueued == null; i++) {
            System.gc();
            enqueued = queue.remove(100);
        }
        assertTrue(enqueued != null, "the dropped map's record was not enqueued");
        table.remove(enqueued);
        assertEquals(1, table.size());
        assertSame(keptRecord, table.values().iterator().next());
    }

    private void addUnreachable(TrackedMaps table) {
        Object dropped = new Object();
        table.addIfAbsent(record(dropped), dropped);
    }

    /**
     * Threads adding, finding and removing their own maps at once, while another iterates: each
     * finds its own records (never another's), and an iteration shows no record twice.
     */
    @Test
    void concurrentAddsFindsRemovesAndIterationsStayConsistent() throws Exception {
        TrackedMaps table = new TrackedMaps();
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger running = new AtomicInteger(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    Object[] maps = new Object[perThread];
                    TrackedMap[] records = new TrackedMap[perThread];
                    for (int i = 0; i < perThread; i++) {
                        maps[i] = new Object();
                        records[i] = record(maps[i], i % 97);
                        if (table.addIfAbsent(records[i], maps[i]) != null) {
                            throw new AssertionError("a new map had a record");
                        }
                        if (table.find(maps[i], i % 97) != records[i] && table.addIfAbsent(records[i], maps[i]) != records[i]) {
                            throw new AssertionError("a map's record was lost");
                        }
                        if (i >= 100) {
                            table.remove(records[i - 100]);
                            if (table.find(maps[i - 100], (i - 100) % 97) != null) {
                                throw new AssertionError("a removed record was found");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    running.decrementAndGet();
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        while (running.get() > 0) {
            IdentityHashMap<TrackedMap, Boolean> seen = new IdentityHashMap<>();
            for (TrackedMap record : table.values()) {
                assertNull(seen.put(record, Boolean.TRUE), "an iteration showed a record twice");
            }
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(threads * 100, table.size());
        assertEquals(threads * 100, count(table));
    }

    private static int count(TrackedMaps table) {
        int n = 0;
        for (TrackedMap ignored : table.values()) {
            n++;
        }
        return n;
    }
}
