package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one way this process learns that a ring's consumer freed space, for every producer that waits for it: threads
 * in {@link RingBuffer#reserve(int, java.time.Duration)} and callbacks ({@link SpaceWaiter}: the reactor's sender and
 * emitter, any async producer) stand in one queue, in arrival order.
 *
 * <ul>
 *   <li><b>One fairness rule</b>: first come, first served. A waiter may claim only once it was woken, waiters are
 *       woken in queue order, and while anyone waits a producer that does not wait fails as full instead of taking
 *       the freed space ({@link ProducerPath#claim}).</li>
 *   <li><b>Exact wake-ups</b>: after a free, the waiters are woken in order for as long as the sum of their record
 *       lengths fits in the free space ({@link #wakeFitting}); the rest sleep on. A waiter that was woken and could not
 *       use its turn (it gave up, or a racing producer took the space) passes it on: it leaves or re-queues and
 *       wakes whoever now fits.</li>
 *   <li><b>No lost wake-up</b>: a waiter publishes itself (a volatile read-modify-write) before it looks at the free
 *       space; the consumer publishes its position and fences before it reads {@link #waiters} (a Dekker pair). No
 *       timer backs it up in process.</li>
 *   <li><b>Ring files</b>: a consumer in another process cannot reach this queue, so while someone here waits, one
 *       {@link SpaceWatcher} thread per ring and process watches the consumer position and wakes the queue when it
 *       moves, whatever the number of waiters (a consumer in this process wakes it directly).</li>
 * </ul>
 */
final class SpaceWaiters {

    private static final VarHandle WAITERS;
    private static final VarHandle LOCAL_FREES;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(SpaceWaiters.class, "waiters", int.class);
            LOCAL_FREES = MethodHandles.lookup().findVarHandle(SpaceWaiters.class, "localFrees", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final System.Logger LOG = System.getLogger(SpaceWaiters.class.getName());

    private final RingRegion region;
    private final long maxLead;
    /** An overwrite ring: space is made by overwriting, so every waiter fits (only a busy record stops one). */
    private final boolean overwrite;
    /** Ring files: watches the consumer position for a consumer in another process; null in process. */
    private final SpaceWatcher watcher;
    /** How many producers wait now. Written by waiters (volatile RMW), read by the consumer and producers. */
    @SuppressWarnings("unused") // read and written through WAITERS
    private volatile int waiters;
    /**
     * How many times a consumer of this process freed space while someone waited: the {@link SpaceWatcher} leaves
     * those frees to it (opaque: a hint; written by the one consumer, read by the watcher).
     */
    @SuppressWarnings("unused") // read and written through LOCAL_FREES
    private long localFrees;
    /** The waiters in arrival order. */
    private final ConcurrentLinkedQueue<SpaceWaiter> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param name the ring's name, for the watcher thread's
     * @param region the ring's words
     * @param capacity the ring's capacity
     * @param overwrite whether the ring overwrites (then every waiter fits)
     * @param shared whether a consumer in another process may free space (a ring file): then a watcher is kept
     */
    SpaceWaiters(String name, RingRegion region, int capacity, boolean overwrite, boolean shared) {
        this.region = region;
        this.maxLead = capacity - 1L;
        this.overwrite = overwrite;
        this.watcher = shared ? new SpaceWatcher(name, region, this) : null;
    }

    /** Whether a producer waits for space now: a momentary read for the claim's slow path (the fairness rule). */
    boolean anyWaiting() {
        // Opaque: a hint for the fairness rule in ProducerPath's slow path; a stale value only moves one claim.
        return (int) WAITERS.getOpaque(this) != 0;
    }

    /** How many producers of this process wait. */
    int waiting() {
        return (int) WAITERS.getOpaque(this);
    }

    /** {@code waiter} joins the queue at its tail (it is not in it), then the turn is passed on. */
    void join(SpaceWaiter waiter) {
        queue.add(waiter);
        // Volatile RMW: a full fence, the waiter's half of the Dekker pair with onSpaceFreed. The waiter publishes
        // itself here, then (after the fence) reads the positions in wakeFitting and its claim; the consumer
        // publishes its position, fences, then reads this word. Each side sees the other's write.
        WAITERS.getAndAdd(this, 1);
        if (watcher != null) {
            watcher.waiterJoined();
        }
        wakeFitting(waiter);
    }

    /** {@code waiter} leaves the queue (it claimed, gave up or was cancelled) and passes on what was its turn. */
    void leave(SpaceWaiter waiter) {
        if (queue.remove(waiter)) {
            WAITERS.getAndAdd(this, -1);
            if ((int) WAITERS.getOpaque(this) != 0) {
                wakeFitting(null);
            }
        }
    }

    /**
     * The consumer just published a larger consumer position ({@link ConsumerPath#freeTo}): wakes the waiters the
     * free space can serve, if there are any.
     */
    void onSpaceFreed() {
        // StoreLoad, partner of the RMW in join(): the consumer position stored (release) just before must be
        // ordered before this read of the waiters word, or both sides could read the other's old value and a waiter
        // would sleep on free space. The one cost this path adds when nobody waits: this fence and an opaque read,
        // once per batch freed (never per record), the mirror of the fence a producer's commit pays (publish).
        VarHandle.fullFence();
        if ((int) WAITERS.getOpaque(this) != 0) {
            LOCAL_FREES.setOpaque(this, (long) LOCAL_FREES.getOpaque(this) + 1); // the one consumer writes it
            wakeFitting(null);
        }
    }

    /** How many frees a consumer of this process has told the waiters about (see {@link SpaceWatcher}). */
    long localFrees() {
        return (long) LOCAL_FREES.getOpaque(this);
    }

    /**
     * Wakes, in queue order, the waiters whose records fit together in the free space now; every waiter when the
     * stream ended. A woken waiter counts until it claims or leaves, so a later call never hands the same space out
     * twice. Any thread may call it; each waiter is woken once per wait ({@link SpaceWaiter#wake}).
     *
     * @param self the calling waiter, which looks at its own state instead of being called back; or null
     */
    void wakeFitting(SpaceWaiter self) {
        // Acquire, producer first (as in ProducerPath.refreshConsumerCache): a stale consumer position only
        // under-estimates the free space, and a missed waiter is woken by the free that moved it.
        final long producer = region.laProducerPosition();
        final long free = producer < 0 || overwrite ? Long.MAX_VALUE
                : maxLead - ((producer & ~CLOSED_BIT) - region.laConsumerPosition());
        long needed = 0;
        for (SpaceWaiter waiter : queue) {
            needed += waiter.need();
            if (needed > free) {
                return;
            }
            if (waiter.wake() && waiter != self) {
                call(waiter);
            }
        }
    }

    /** Wakes every waiter (the stream ended, a handle closed): each claims, sees it and gives up. */
    void wakeAll() {
        for (SpaceWaiter waiter : queue) {
            if (waiter.wake()) {
                call(waiter);
            }
        }
    }

    /** Runs a woken waiter's callback; one that throws is reported, never thrown into the consumer. */
    private static void call(SpaceWaiter waiter) {
        try {
            waiter.onSpace.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "space waiter callback " + waiter.onSpace + " threw; it was woken, "
                    + "and the waiter keeps its turn until it claims or is cancelled", e);
        }
    }
}
