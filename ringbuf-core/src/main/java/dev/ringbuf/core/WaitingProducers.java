package dev.ringbuf.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Producers that wait for space ({@link RingBuffer#reserve(int, Duration)}, {@link RingBuffer#output(byte[],
 * Duration)}), layered over the claim: try, and while the ring is full, publish as a waiter and park until the
 * consumer frees space, the stream ends, the deadline passes or the thread is interrupted. The record counts as
 * dropped once, when it is given up: one {@code full} drop on timeout or interrupt, one {@code closed} drop when the
 * stream ended; retries are not drops.
 *
 * <p>Parking: in process the consumer unparks waiters when it frees space ({@link SpaceWaiters#onSpaceFreed}); a
 * ring file's consumer may be in another process, so there the mode bounds each park
 * ({@link RingMode#spaceWaitParkNanos}). Never a monitor: a waiting virtual thread does not pin its carrier.
 */
final class WaitingProducers {

    private final String name;
    private final ProducerPath producers;
    private final RingMode mode;
    private final RingCounters counters;

    WaitingProducers(String name, ProducerPath producers, RingMode mode, RingCounters counters) {
        this.name = name;
        this.producers = producers;
        this.mode = mode;
        this.counters = counters;
    }

    /**
     * Claims space for {@code size} payload bytes, waiting up to {@code timeout} for it.
     *
     * @return the record's position, or -1 when given up (counted once)
     */
    long claim(int size, Duration timeout) throws InterruptedException {
        final long nanos = toNanos(timeout);
        final long start = System.nanoTime();
        // Saturated: nanoTime + a huge timeout must not wrap into the past.
        final long deadline = start + nanos < start ? Long.MAX_VALUE : start + nanos;
        long position = producers.claimWaiting(size);
        if (position >= 0 || givenUp(position, nanos == 0 ? start : deadline)) {
            return position < 0 ? -1 : position;
        }
        final SpaceWaiters waiters = mode.spaceWaiters;
        waiters.enter(); // publish + fence: every claimWaiting below reads the consumer position after it
        try {
            long park = 0;
            for (;;) {
                position = producers.claimWaiting(size);
                if (position >= 0) {
                    return position;
                }
                if (givenUp(position, deadline)) {
                    return -1;
                }
                park = mode.spaceWaitParkNanos(park);
                LockSupport.parkNanos(this, Math.min(park, deadline - System.nanoTime()));
                if (Thread.interrupted()) {
                    counters.droppedFull();
                    throw new InterruptedException("interrupted while waiting for " + size + " bytes of space in "
                            + "ring '" + name + "' (the record was given up and counted as dropped, reason full)");
                }
            }
        } finally {
            waiters.leave();
        }
    }

    /** Whether a failed claim gives the record up (closed, or full at the deadline): then it is counted, once. */
    private boolean givenUp(long failure, long deadline) {
        if (failure == ProducerPath.CLAIM_CLOSED) {
            counters.droppedClosed();
            return true;
        }
        if (deadline - System.nanoTime() <= 0) {
            counters.droppedFull();
            return true;
        }
        return false;
    }

    private static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
