package dev.mapretention.agent.boot;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands the stacks captured inside map operations to the agent's own thread, which turns them
 * into sites: numbering the frames' methods (a {@code ClassValue} per class), sharing identical
 * sites, formatting new ones. So the application's thread, inside its map operation (and inside
 * the monitor of a Hashtable or a synchronized map), only captures.
 *
 * <p>A lock-free stack of captures, linked through the captures themselves (no node per entry).
 * The agent's thread parks in {@link #await} between scans; the first capture offered to an
 * empty stack unparks it (later ones find it awake or about to take them all), so a steady
 * stream of new maps costs one wake-up per batch, not one per map. Bounded: beyond
 * {@link #MAX_PENDING} captures waiting (the agent's thread starved of CPU), {@link #offer}
 * refuses, and the caller resolves its capture itself, exactly as the agent's thread would.
 */
final class PendingSites {

    /** About 1 KB each (the kept stack frames): at most ~2 MB waiting. */
    static final int MAX_PENDING = 2048;

    private final AtomicReference<SiteTable.Capture> head = new AtomicReference<>();
    /** The agent's thread while it is parked in {@link #await}, else null. */
    private volatile Thread waiting;

    /** On the application's thread: false when {@link #MAX_PENDING} captures wait already. */
    boolean offer(SiteTable.Capture capture) {
        SiteTable.Capture first;
        do {
            first = head.get();
            if (first != null && first.queued >= MAX_PENDING) {
                return false;
            }
            capture.next = first;
            capture.queued = first == null ? 1 : first.queued + 1;
        } while (!head.compareAndSet(first, capture));
        if (first == null) {
            Thread agent = waiting;
            if (agent != null) {
                LockSupport.unpark(agent);
            }
        }
        return true;
    }

    /** Every waiting capture, newest first, linked by {@code next}; null when none waits. */
    SiteTable.Capture takeAll() {
        return head.get() == null ? null : head.getAndSet(null);
    }

    /**
     * On the agent's one thread: parks for at most {@code nanos}, or until a capture is offered
     * or the thread is interrupted (its interrupt status is then left set).
     */
    void await(long nanos) {
        waiting = Thread.currentThread();
        try {
            // Checked after publishing the waiter: an offer either sees it, or came before this read.
            if (head.get() == null) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            waiting = null;
        }
    }

    /** How many captures wait. */
    int size() {
        SiteTable.Capture first = head.get();
        return first == null ? 0 : first.queued;
    }

    /** Drops every waiting capture (detach). */
    void clear() {
        head.set(null);
    }
}
