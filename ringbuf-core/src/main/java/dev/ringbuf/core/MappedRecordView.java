package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@link Record} view over a data area that another module maps, for a consumer that is not a {@link RingBuffer}:
 * {@code ringbuf-bpf}'s consumer of the kernel's own BPF ring buffer, whose records have the same 8-byte header
 * (payload length in the low 32 bits once committed) and the same contiguity (the kernel maps the data pages twice).
 * One view per consumer, re-pointed at each record and ended before the consumer frees its space, exactly like the
 * ring's own flyweight. Users receive it as a {@code Record}; they do not make one.
 */
public final class MappedRecordView extends Record {

    private final RecordMemory memory;

    /**
     * A view over {@code dataArea}, where the record at position {@code p} has its header at {@code p & mask}.
     *
     * @param dataArea the data area and whatever lets a record continue past its end; set to little-endian here
     * @param mask the ring's capacity minus one
     * @throws IllegalArgumentException if {@code mask + 1} is not a power of two or the area is smaller than it
     */
    public MappedRecordView(ByteBuffer dataArea, int mask) {
        if (mask < 0 || Integer.bitCount(mask + 1) != 1 || dataArea.capacity() < mask + 1) {
            throw new IllegalArgumentException("mask " + mask + " must be a capacity minus one, a power of two no "
                    + "larger than the data area of " + dataArea.capacity() + " bytes");
        }
        this.memory = new RecordMemory(dataArea.order(ByteOrder.LITTLE_ENDIAN), mask);
    }

    /**
     * Points the view at the committed record at {@code position}.
     *
     * @param position the record's position (its header at {@code position & mask})
     */
    public void point(long position) {
        bind(memory, position);
    }

    /** Ends the view: every later read throws {@link IllegalStateException}. Call before freeing the record. */
    public void end() {
        invalidate();
    }
}
