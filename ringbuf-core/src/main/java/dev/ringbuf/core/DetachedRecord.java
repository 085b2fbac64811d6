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
        // A view read after release on another thread may see any length here: never allocate beyond the buffer.
        if (length < 0 || length > source.buffer.capacity() - headerOffset - RingLayout.HEADER_LENGTH) {
            throw new IndexOutOfBoundsException("record length " + length + " at offset " + headerOffset
                    + " is outside the ring's memory");
        }
        final byte[] copy = new byte[RingLayout.HEADER_LENGTH + length];
        source.buffer.get(headerOffset, copy, 0, copy.length);
        bind(new RecordMemory(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), 0), position);
    }

    @Override
    public Record copy() {
        return this;
    }
}
