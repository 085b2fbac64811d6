package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import java.nio.ByteBuffer;

/**
 * The view {@code records()} emits: one small object per {@code onNext}, bound to the record's bytes in the ring and
 * invalidated when {@code onNext} returns, so that any later use throws {@link IllegalStateException}.
 */
final class EmittedRecord extends Record {

    EmittedRecord(ByteBuffer memory, long position, int offset, int length) {
        bind(memory, position, offset, length);
    }

    /** Ends the view: the consumer moves past the record once the batch returns. */
    void end() {
        invalidate();
    }
}
