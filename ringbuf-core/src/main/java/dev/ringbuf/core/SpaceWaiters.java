package dev.ringbuf.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The producers of this process that wait for space in one ring ({@link WaitingProducers}), and the consumer's side
 * of waking them: after it frees space the consumer reads one word, {@link #waiters}, and unparks only when it is not
 * zero (the self-balancing rule, in the other direction). Lock-free: waiters are parked with {@link LockSupport}
 * (never on a monitor, so a virtual thread does not pin its carrier) and listed in a lock-free queue.
 */
final class SpaceWaiters {

    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(SpaceWaiters.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How many producers wait now. Written by waiters only (volatile RMW), read by the consumer and producers. */
    @SuppressWarnings("unused") // read and written through WAITERS
    private volatile int waiters;
    /** The waiting threads, to unpark. Touched only while {@link #waiters} is not zero. */
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();

    /**
     * Publishes the calling thread as a waiter. Call {@link #leave()} in a finally block.
     */
    void enter() {
        parked.add(Thread.currentThread());
        // Volatile RMW: a full fence, the waiter's half of the Dekker pair with onSpaceFreed. The waiter publishes
        // itself here, then (after the fence) reads the consumer position in its claim; the consumer publishes its
        // position, fences, then reads this word. Each side sees the other's write, or the consumer's new position
        // reaches the waiter: a waiter never parks on space that was freed without being told.
        WAITERS.getAndAdd(this, 1);
    }

    /** The calling thread no longer waits. */
    void leave() {
        // An atomic decrement (concurrent waiters leave too); no ordering is needed beyond it: a consumer that still
        // reads the old count only unparks a thread that is no longer parked (a spare permit, harmless).
        WAITERS.getAndAdd(this, -1);
        parked.remove(Thread.currentThread());
    }

    /** Whether a producer waits for space now: a momentary read for the claim's slow path (the fairness rule). */
    boolean anyWaiting() {
        // Opaque: a hint for the fairness rule in ProducerPath's slow path; a stale value only moves one claim.
        return (int) WAITERS.getOpaque(this) != 0;
    }

    /**
     * The consumer just published a larger consumer position ({@link ConsumerPath#freeTo}, through the mode's
     * {@code afterFree}): wakes every waiter, but only if there is one.
     */
    void onSpaceFreed() {
        // StoreLoad, partner of the RMW in enter(): the consumer position stored (release) just before must be
        // ordered before this read of the waiters word, or both sides could read the other's old value and a waiter
        // would sleep on free space. The one cost this path adds when nobody waits: this fence and an opaque read,
        // once per batch freed (never per record), the mirror of the fence a producer's commit pays (publish).
        VarHandle.fullFence();
        if ((int) WAITERS.getOpaque(this) != 0) {
            wakeAll();
        }
    }

    /** Wakes every waiter (space freed, the stream ended, a handle closed): each re-checks and parks again if need be. */
    void wakeAll() {
        for (Thread thread : parked) {
            LockSupport.unpark(thread);
        }
    }
}
