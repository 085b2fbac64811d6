package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Configures and allocates a {@link RingBuffer} in direct (off-heap) memory.
 *
 * <pre>{@code
 * RingBuffer ring = RingBuffer.builder()
 *         .name("events")          // default "ringbuf"; the metrics' ring tag
 *         .capacity(1 << 20)       // required: a power of two, 64 bytes to 1 GiB
 *         .maxRecordSize(16 << 10) // default capacity / 4; at most capacity - 16
 *         .build();
 * }</pre>
 *
 * The ring uses one region of {@code 4096 + capacity + roundUp(maxRecordSize + 8, 8)} bytes: a metadata page, the
 * data area and the tail extension that keeps every record contiguous.
 */
public final class RingBufferBuilder {

    /** The name of a ring built without {@link #name(String)}. */
    public static final String DEFAULT_NAME = "ringbuf";

    private String name = DEFAULT_NAME;
    private long capacity = -1;
    private int maxRecordSize = -1;

    RingBufferBuilder() {
    }

    /**
     * The ring's name, for messages and the {@code ring} metric tag.
     *
     * @param name non-empty
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public RingBufferBuilder name(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        this.name = name;
        return this;
    }

    /**
     * Bytes of the data area.
     *
     * @param capacity a power of two from 64 to 2^30
     * @return this builder
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     */
    public RingBufferBuilder capacity(long capacity) {
        RingDescriptor.checkCapacity(capacity);
        this.capacity = capacity;
        return this;
    }

    /**
     * The largest payload of one record (default {@code capacity / 4}). It sets the size of the tail extension.
     *
     * @param maxRecordSize 0 to {@code capacity - 16}
     * @return this builder
     * @throws IllegalArgumentException if negative (the upper bound is checked by {@link #build()})
     */
    public RingBufferBuilder maxRecordSize(int maxRecordSize) {
        if (maxRecordSize < 0) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + " must not be negative");
        }
        this.maxRecordSize = maxRecordSize;
        return this;
    }

    /**
     * Allocates the ring.
     *
     * @return a new, empty ring
     * @throws IllegalStateException if no capacity was set
     * @throws IllegalArgumentException if {@code maxRecordSize} exceeds {@code capacity - 16}
     */
    public RingBuffer build() {
        if (capacity < 0) {
            throw new IllegalStateException("capacity is required: call capacity(c) with a power of two between "
                    + RingDescriptor.MIN_CAPACITY + " and " + RingDescriptor.MAX_CAPACITY);
        }
        final int c = (int) capacity;
        final int max = maxRecordSize < 0 ? RingDescriptor.defaultMaxRecordSize(c) : maxRecordSize;
        RingDescriptor.checkMaxRecordSize(max, c);
        final int length = RingDescriptor.regionLength(c, max);
        // allocateDirect zeroes the memory; the slack page-aligns the region, which also 8-aligns every word the
        // ring accesses atomically (the byte-buffer VarHandle requires aligned addresses for that).
        final ByteBuffer memory = ByteBuffer.allocateDirect(length + RingDescriptor.DATA_OFFSET);
        final int page = RingDescriptor.DATA_OFFSET;
        final int shift = (page - memory.alignmentOffset(0, page)) & (page - 1);
        final ByteBuffer region = memory.slice(shift, length).order(ByteOrder.LITTLE_ENDIAN);
        region.putLong(RingDescriptor.MAGIC_OFFSET, RingDescriptor.MAGIC);
        region.putInt(RingDescriptor.VERSION_OFFSET, RingDescriptor.LAYOUT_VERSION);
        region.putInt(RingDescriptor.CAPACITY_OFFSET, c);
        region.putInt(RingDescriptor.MAX_RECORD_SIZE_OFFSET, max);
        region.putLong(RingDescriptor.CREATION_TIME_OFFSET, System.currentTimeMillis());
        // Safe publication: the ring's fields are final, and the region is handed to other threads through it.
        return new RingBuffer(name, region, c, max);
    }
}
