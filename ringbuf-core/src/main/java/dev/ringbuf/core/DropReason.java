package dev.ringbuf.core;

/**
 * Why a record was not accepted by the ring. Every drop is counted under its reason
 * ({@link RingBuffer#droppedRecords(DropReason)}) and exported as the {@code reason} tag of the
 * {@code ringbuf.records.dropped} meter.
 */
public enum DropReason {
    /**
     * The reservation would have put the producer {@code capacity - 1} bytes or more ahead of the consumer. With a
     * Reactor subscriber this is the backpressure signal: the overflow policy is "drop newest", as in the kernel.
     */
    FULL("full"),
    /** The ring was {@linkplain RingBuffer#close() closed}. */
    CLOSED("closed"),
    /**
     * The requested size was negative or larger than {@link RingBuffer#maxRecordSize()}; the reservation also threw
     * {@link IllegalArgumentException}.
     */
    OVERSIZE("oversize");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /**
     * The lower-case name used as the metric tag value.
     *
     * @return {@code "full"}, {@code "closed"} or {@code "oversize"}
     */
    public String tag() {
        return tag;
    }
}
