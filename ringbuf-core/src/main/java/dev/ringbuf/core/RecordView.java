package dev.ringbuf.core;

import java.nio.ByteBuffer;

/**
 * The flyweight {@link Record} that {@link RingBuffer#consume(RecordHandler)} hands to its handler: one per ring,
 * re-pointed at each record and invalidated when the handler returns, so consuming allocates nothing.
 */
final class RecordView extends Record {

    void point(ByteBuffer memory, long position, int offset, int length) {
        bind(memory, position, offset, length);
    }

    void end() {
        invalidate();
    }
}
