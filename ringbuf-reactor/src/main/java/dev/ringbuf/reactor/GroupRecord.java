package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;

/**
 * A record emitted by a {@link RingGroupFlux}: a zero-copy view, valid until its {@code onNext} returns (then any use
 * throws {@link IllegalStateException}; {@link #copy()} first to keep it), that also names the ring it came from.
 *
 * <pre>{@code
 * RingGroupFlux.records(group)
 *         .map(record -> record.ring().name() + ":" + record.getLong(0))
 *         .subscribe(System.out::println);
 * }</pre>
 */
public final class GroupRecord extends Record {

    private final RingBuffer ring;

    GroupRecord(RingBuffer ring, long position) {
        super(ring, position);
        this.ring = ring;
    }

    /**
     * The ring this record came from (its name, its metrics' {@code ring} tag).
     *
     * @return the ring
     */
    public RingBuffer ring() {
        return ring;
    }

    /** Ends the view: the consumer moves past the record once the batch returns. */
    void end() {
        invalidate();
    }
}
