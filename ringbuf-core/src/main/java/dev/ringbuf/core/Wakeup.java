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
     * Self-balancing: wake the consumer only if it had caught up to this very record. After publishing the header
     * the producer fences and compares the consumer's <em>read position</em> (the end of the last record the consumer
     * has read, {@link RingBuffer#readPosition()}) with the record's own position, modulo the capacity. The kernel
     * compares the consumer position; the read position is the same thing except while records are read but not yet
     * released (Reactor's manual release), and it is the one that tells whether the consumer is waiting for this
     * record rather than still busy with earlier ones, which it will finish before reaching this one on its own.
     * The consumer publishes its read position and fences before it sleeps, so the comparison never misses a
     * consumer that is about to sleep: no wakeup is lost.
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
