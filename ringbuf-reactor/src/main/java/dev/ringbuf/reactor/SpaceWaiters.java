package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Producers waiting for room in one ring (senders with {@link OverflowPolicy#BACKPRESSURE}, emitters in
 * {@link RingEmitter#emit(Object, java.time.Duration)}), told when the ring's in-process consumer frees space.
 * Installed once per ring as its {@linkplain RingBuffer#setSpaceListener space listener}; a listener that was there
 * before is still told. A waiter is told once per registration, on the consumer's thread, and must only hand the
 * news over (schedule a drain, unpark a thread).
 */
final class SpaceWaiters implements Runnable {

    /** Weak keys: the waiters never keep a ring alive (they do not reference it). */
    private static final Map<RingBuffer, SpaceWaiters> RINGS = Collections.synchronizedMap(new WeakHashMap<>());

    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private volatile Runnable previous;

    private SpaceWaiters() {
    }

    /** The waiters of {@code ring}, installing its space listener on first use. */
    static SpaceWaiters of(RingBuffer ring) {
        synchronized (RINGS) {
            SpaceWaiters waiters = RINGS.get(ring);
            if (waiters == null) {
                waiters = new SpaceWaiters();
                waiters.previous = ring.setSpaceListener(waiters);
                RINGS.put(ring, waiters);
            }
            return waiters;
        }
    }

    /** Tells {@code waiter} (once) after the next free. */
    void await(Runnable waiter) {
        waiting.offer(waiter);
    }

    /** Forgets {@code waiter} if it was not told yet (a waiter that gave up). */
    void forget(Runnable waiter) {
        waiting.remove(waiter);
    }

    /**
     * The consumer freed space: tell everyone waiting now. Never throws into the consumer. Only the waiters queued
     * before this call are told (up to a marker): a waiter that re-registers while it is told (a sender resuming
     * inline on {@code Schedulers.immediate()}, finding the ring full again) waits for the next free instead of
     * spinning here. Called by the ring's one consumer, so one marker at a time.
     */
    @Override
    public void run() {
        if (!waiting.isEmpty()) {
            tellWaiting();
        }
        final Runnable chained = previous;
        if (chained != null) {
            chained.run();
        }
    }

    private void tellWaiting() {
        waiting.offer(MARK);
        Runnable waiter;
        while ((waiter = waiting.poll()) != MARK && waiter != null) {
            try {
                waiter.run();
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                Operators.onErrorDropped(error, Context.empty());
            }
        }
    }

    /** Ends one {@link #tellWaiting()} round. */
    private static final Runnable MARK = () -> { };
}
