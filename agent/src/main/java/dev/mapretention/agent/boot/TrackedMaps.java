package dev.mapretention.agent.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The side table of tracked maps: each live record, found by its map's identity. Its own code
 * rather than a {@code ConcurrentHashMap}, because a JDK map's compiled code and its profiles
 * (the types seen at {@code key.hashCode()} and {@code key.equals}) are shared by every caller:
 * the tracker's look-ups inside the application's map operations made the application's own
 * ConcurrentHashMap calls see the tracker's key types, and the agent's thread, using the same
 * code with others, deoptimized what C2 had compiled for the application's threads.
 *
 * <p>Open addressing, linear probing, in a power-of-two array of at most half load. A look-up
 * ({@link #find}) takes no lock: it reads the slots with acquire semantics, so that it sees a
 * record only once it is fully made. Adding, removing and rebuilding happen under the table's
 * lock; a removed record leaves a tombstone until the next rebuild, and the table shrinks again
 * when most of its records are gone ({@link #trim}: a map that never shrinks is what the agent
 * reports). A look-up racing with a change may miss a record that is there: callers then add
 * under the lock ({@link #addIfAbsent}), which finds it.
 */
final class TrackedMaps {

    private static final int MIN_LENGTH = 64;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrackedMap[].class);

    /** The tombstone of a removed record: probing passes it, adding may reuse its slot. */
    private static final TrackedMap REMOVED = new TrackedMap(new Object(), 0, null, MapKinds.HASH_MAP, 0, false);

    private final Object lock = new Object();
    /** Replaced only under the lock, by a rebuild. */
    private volatile TrackedMap[] slots = new TrackedMap[MIN_LENGTH];
    /** Records in the table; written under the lock. */
    private volatile int size;
    /** Slots not null (records and tombstones); under the lock. */
    private int used;

    TrackedMaps() {
        // Link the VarHandle calls here, on the agent's thread, rather than inside the first
        // application map operation that looks a map up or tracks one.
        TrackedMap warm = new TrackedMap(lock, 0, null, MapKinds.HASH_MAP, 0, false);
        addIfAbsent(warm, lock);
        find(lock, 0);
        remove(warm);
    }

    /** The record of {@code map}, or null; without locking (it may miss a record added meanwhile). */
    TrackedMap find(Object map, int identityHash) {
        TrackedMap[] table = slots;
        int mask = table.length - 1;
        for (int i = spread(identityHash) & mask; ; i = (i + 1) & mask) {
            TrackedMap slot = (TrackedMap) SLOT.getAcquire(table, i);
            if (slot == null) {
                return null;
            }
            if (slot != REMOVED && slot.hashCode() == identityHash && slot.refersTo(map)) {
                return slot;
            }
        }
    }

    /**
     * Adds the record of a live map unless the map has one; returns that one, or null when
     * {@code record} was added.
     */
    TrackedMap addIfAbsent(TrackedMap record, Object map) {
        int hash = record.hashCode();
        synchronized (lock) {
            TrackedMap[] table = slots;
            int mask = table.length - 1;
            int free = -1;
            for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
                TrackedMap slot = table[i];
                if (slot == null) {
                    if (free < 0) {
                        free = i;
                    }
                    break;
                }
                if (slot == REMOVED) {
                    if (free < 0) {
                        free = i;
                    }
                } else if (slot.hashCode() == hash && slot.refersTo(map)) {
                    return slot;
                }
            }
            if (table[free] == null) {
                if ((used + 1) * 2 > table.length) {
                    table = rebuild(size + 1);
                    free = freeSlot(table, hash);
                }
                used++;
            }
            SLOT.setRelease(table, free, record);
            size++;
            return null;
        }
    }

    /** Removes this record (by identity), if it is in the table. */
    void remove(Reference<?> record) {
        synchronized (lock) {
            removeLocked(record);
        }
    }

    /**
     * Removes the first {@code count} of these records, under one hold of the lock: the agent's
     * thread forgets collected maps in batches, so that an application thread adding a record
     * waits for the lock at most one batch long.
     */
    void removeAll(Reference<?>[] records, int count) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                removeLocked(records[i]);
            }
        }
    }

    private void removeLocked(Reference<?> record) {
        if (!(record instanceof TrackedMap)) {
            return;
        }
        int hash = record.hashCode();
        TrackedMap[] table = slots;
        int mask = table.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            TrackedMap slot = table[i];
            if (slot == null) {
                return;
            }
            if (slot == record) {
                SLOT.setRelease(table, i, REMOVED);
                size--;
                return;
            }
        }
    }

    /**
     * Gives back the room of records gone: a new table when at most an eighth of this one holds
     * records. Called by the agent's thread at each scan, not at each removal, so that a workload
     * whose tracked maps come and go by the thousand between two collections (and the table with
     * them) does not rebuild it twice per collection.
     */
    void trim() {
        synchronized (lock) {
            TrackedMap[] table = slots;
            if (table.length > MIN_LENGTH && size * 8 <= table.length) {
                rebuild(size);
            }
        }
    }

    /** Drops every record. */
    void clear() {
        synchronized (lock) {
            slots = new TrackedMap[MIN_LENGTH];
            used = 0;
            size = 0;
        }
    }

    int size() {
        return size;
    }

    /** The table's length, records and free slots. */
    int capacity() {
        return slots.length;
    }

    /**
     * The records, as a view that reads the table as it is when its iterator starts: weakly
     * consistent, like a concurrent map's values (a record added or removed meanwhile may or may
     * not show; none shows twice).
     */
    AbstractCollection<TrackedMap> values() {
        return new AbstractCollection<TrackedMap>() {
            @Override
            public Iterator<TrackedMap> iterator() {
                return new Records(slots);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Under the lock: a new table for {@code records} records, at most a quarter full, tombstones dropped. */
    private TrackedMap[] rebuild(int records) {
        TrackedMap[] old = slots;
        int length = MIN_LENGTH;
        while (length < records * 4) {
            length <<= 1;
        }
        TrackedMap[] table = new TrackedMap[length];
        int copied = 0;
        for (TrackedMap slot : old) {
            if (slot != null && slot != REMOVED) {
                table[freeSlot(table, slot.hashCode())] = slot;
                copied++;
            }
        }
        used = copied;
        slots = table;
        return table;
    }

    private static int freeSlot(TrackedMap[] table, int hash) {
        int mask = table.length - 1;
        int i = spread(hash) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Identity hashes are well mixed already; this spreads their high bits into small tables too. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    /** The records of one table, in slot order. */
    private static final class Records implements Iterator<TrackedMap> {
        private final TrackedMap[] table;
        private int index;
        private TrackedMap next;

        Records(TrackedMap[] table) {
            this.table = table;
            advance();
        }

        private void advance() {
            next = null;
            while (index < table.length && next == null) {
                TrackedMap slot = (TrackedMap) SLOT.getAcquire(table, index++);
                if (slot != null && slot != REMOVED) {
                    next = slot;
                }
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public TrackedMap next() {
            TrackedMap current = next;
            if (current == null) {
                throw new NoSuchElementException();
            }
            advance();
            return current;
        }
    }
}
