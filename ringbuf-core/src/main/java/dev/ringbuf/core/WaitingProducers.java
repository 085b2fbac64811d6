package dev.ringbuf.core;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Producers that wait for space ({@link RingBuffer#reserve(int, Duration)}, {@link RingBuffer#output(byte[],
 * Duration)}), layered over the claim: try once; while the ring is full, stand in the ring's one queue of waiters
 * ({@link SpaceWaiter}, the same one async producers use) and park until woken in turn, the stream ends, the deadline
 * passes or the thread is interrupted. The record counts as dropped once, when it is given up: one {@code full} drop
 * on timeout or interrupt, one {@code closed} drop when the stream ended; retries are not drops.
 *
 * <p>Parks without a bound of its own: the consumer (or a ring file's {@link SpaceWatcher}) unparks a waiter when the
 * freed space can serve it. Never a monitor: a waiting virtual thread does not pin its carrier.
 */
final class WaitingProducers {

    private final String name;
    private final ProducerPath producers;
    private final SpaceWaiters spaceWaiters;
    private final RingCounters counters;

    WaitingProducers(String name, ProducerPath producers, SpaceWaiters spaceWaiters, RingCounters counters) {
        this.name = name;
        this.producers = producers;
        this.spaceWaiters = spaceWaiters;
        this.counters = counters;
    }

    /**
     * Claims space for {@code size} payload bytes, waiting up to {@code timeout} for it.
     *
     * @return the record's position, or -1 when given up (counted once)
     */
    long claim(int size, Duration timeout) throws InterruptedException {
        final long deadline = Timeouts.deadline(timeout);
        long position = producers.claim(size, false); // the fast path; fails as full while others wait (in turn)
        if (position >= 0) {
            return position;
        }
        if (position == ProducerPath.CLOSED) {
            counters.droppedClosed();
            return -1;
        }
        final Thread thread = Thread.currentThread();
        final SpaceWaiter waiter = new SpaceWaiter(spaceWaiters, producers, () -> LockSupport.unpark(thread));
        boolean done = false;
        try {
            for (;;) {
                position = waiter.claim(size);
                if (position >= 0) {
                    done = true;
                    return position;
                }
                if (position == ProducerPath.CLAIM_CLOSED) {
                    done = true;
                    counters.droppedClosed();
                    return -1;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    counters.droppedFull();
                    return -1;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    counters.droppedFull();
                    throw new InterruptedException("interrupted while waiting for " + size + " bytes of space in "
                            + "ring '" + name + "' (the record was given up and counted as dropped, reason full)");
                }
            }
        } finally {
            if (!done) {
                waiter.cancel(); // gives its turn to the next waiter
            }
        }
    }
}
