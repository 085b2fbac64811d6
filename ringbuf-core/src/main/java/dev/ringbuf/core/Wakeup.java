package dev.ringbuf.core;

/**
 * Whether committing (or discarding) a record wakes the consumer, as the kernel's {@code BPF_RB_NO_WAKEUP} and
 * {@code BPF_RB_FORCE_WAKEUP} flags decide it.
 *
 * <p>A wakeup is delivered to the ring's {@link WakeupListener} (the Reactor drain plugs in there) and unparks a
 * consumer blocked in {@link RingBuffer#awaitData(java.time.Duration)}. Every wakeup sent is counted
 * ({@link RingBuffer#wakeups()}).
 *
 * <pre>{@code
 * for (int i = 0; i < batch.length; i++) {
 *     ring.output(batch[i], i == batch.length - 1 ? Wakeup.FORCE : Wakeup.NONE); // one wakeup per batch
 * }
 * }</pre>
 */
public enum Wakeup {
    /**
     * Self-balancing: wake the consumer only if it had caught up to this very record, that is when
     * {@code consumerPosition == position of the record just committed}. A consumer that is still busy with
     * earlier records will reach this one on its own, so the wakeup would be wasted work.
     */
    DEFAULT,
    /**
     * Never wake. The record is picked up by the consumer's next pass: a later wakeup, the Reactor drain's poll
     * interval, or a consumer that polls. Use it for all but the last record of a batch.
     */
    NONE,
    /** Always wake, whatever the consumer is doing. Use it on the last record of a batch sent with {@link #NONE}. */
    FORCE
}
