package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@link Record} that owns a heap copy of its record, header included, laid out as in a ring of mask 0 (header at
 * index 0, payload at 8): what {@link Record#copy()} returns. It keeps the original position.
 */
final class DetachedRecord extends Record {

    DetachedRecord(RecordMemory source, long position) {
        final int headerOffset = (int) (position & source.mask);
        final int length = source.buffer.getInt(headerOffset);
        final byte[] copy = new byte[RingLayout.HEADER_LENGTH + length];
        source.buffer.get(headerOffset, copy, 0, copy.length);
        bind(new RecordMemory(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), 0), position);
    }

    @Override
    public Record copy() {
        return this;
    }
}
