package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;

/**
 * The view {@code records()} emits: one small object per {@code onNext} (24 bytes: the base class's memory reference
 * and position, no field of its own), bound to the record's bytes in the ring and invalidated when {@code onNext}
 * returns, so that any later use throws {@link IllegalStateException}.
 */
final class EmittedRecord extends Record {

    EmittedRecord(RingBuffer ring, long position) {
        super(ring, position);
    }

    /** Ends the view: the consumer moves past the record once the batch returns. */
    void end() {
        invalidate();
    }
}
