package dev.ringbuf.core;

/**
 * Told by a producer thread that the consumer should run: the hook through which a ring's wakeups reach a
 * scheduler (the Reactor drain plugs in here).
 *
 * <p>Called on the producer's thread, right after the commit or discard that decided to wake, so it must be quick
 * and must not block or consume the ring itself: schedule the consumer and return. A listener that throws does not
 * undo the commit; the exception propagates to the producer.
 *
 * <pre>{@code
 * ring.setWakeupListener(() -> worker.schedule(drain));
 * }</pre>
 */
@FunctionalInterface
public interface WakeupListener {

    /** The consumer should run: at least one record is committed (or discarded) at or after its position. */
    void onWakeup();
}
