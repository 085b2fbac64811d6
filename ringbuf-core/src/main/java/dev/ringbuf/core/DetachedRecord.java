package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A {@link Record} that owns a heap copy of its payload: what {@link Record#copy()} returns. */
final class DetachedRecord extends Record {

    DetachedRecord(long position, byte[] payload) {
        bind(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN), position, 0, payload.length);
    }

    @Override
    public Record copy() {
        return this;
    }
}
