package dev.ringbuf.core;

import java.nio.ByteBuffer;

/**
 * Where a {@link Record}'s bytes live: a little-endian buffer laid out as the ring's data area (an 8-byte header,
 * then the payload, at {@code position & mask}), and that mask. A ring has one; a detached copy has its own (mask 0,
 * header at index 0). Keeping this in one shared object is what lets a view be two fields: it and a position.
 */
final class RecordMemory {

    /** The data area (and tail extension), little-endian, indexed absolutely. */
    final ByteBuffer buffer;
    /** {@code capacity - 1} for a ring; 0 for a detached copy. */
    final int mask;

    RecordMemory(ByteBuffer buffer, int mask) {
        this.buffer = buffer;
        this.mask = mask;
    }
}
