package dev.ringbuf.reactor;

/**
 * What a {@link RingBufferSender} does with an element when the ring is full.
 */
public enum OverflowPolicy {

    /**
     * Wait for room: the sender requests only what it has room to queue (its prefetch), holds the element that did
     * not fit, and waits in turn in the ring's one queue of producers waiting for space ({@code SpaceWaiter}: first
     * come, first served with every other waiter, threads included), resuming when the space the consumer freed can
     * serve it. No timer: nothing is dropped and nothing spins or polls; a slow consumer slows the source.
     */
    BACKPRESSURE,

    /**
     * Drop the element that does not fit and go on: each lost element is counted once on the ring, with reason
     * {@code full} ({@code ringbuf.dropped{reason=full}}), and reported by
     * {@link RingBufferSender#sendAndReport}. The source is never slowed down.
     */
    DROP_NEWEST,

    /**
     * For an overwrite ring ({@code RingBuffer.builder().overwrite(true)}, the kernel's {@code BPF_F_RB_OVERWRITE}):
     * every element is written, and the ring makes room by overwriting its oldest records, which its consumer
     * skips and counts ({@code ringbuf.records.overwritten}). An element is dropped, and counted once with reason
     * {@code full}, only when a busy record, or the record the consumer is reading, is in the way. The source is
     * never slowed down. {@link RingBufferSender#overflow} refuses it for a ring that does not overwrite.
     */
    OVERWRITE_OLDEST
}
