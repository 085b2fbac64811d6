package dev.ringbuf.core;

import static dev.ringbuf.core.RingDescriptor.CAPACITY_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CLOSED_BIT;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_CACHE_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CREATION_TIME_OFFSET;
import static dev.ringbuf.core.RingDescriptor.DATA_OFFSET;
import static dev.ringbuf.core.RingDescriptor.LAYOUT_VERSION;
import static dev.ringbuf.core.RingDescriptor.MAGIC;
import static dev.ringbuf.core.RingDescriptor.MAGIC_OFFSET;
import static dev.ringbuf.core.RingDescriptor.MAX_RECORD_SIZE_OFFSET;
import static dev.ringbuf.core.RingDescriptor.PRODUCER_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.READ_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.VERSION_OFFSET;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Creates and opens ring files: the ring's region (header page, data area, tail extension; see
 * {@link RingDescriptor}) as a memory-mapped file that producers and a consumer in several processes share.
 *
 * <p>Opening reads the header page with an ordinary read, validates every field against the file's size, and only
 * then maps exactly the region the header describes, never past the end of the file. The mapping stays valid after
 * the channel is closed (as {@link FileChannel#map} specifies), and is released when the ring becomes unreachable:
 * Java 17 has no public way to unmap a {@link MappedByteBuffer} deterministically.
 */
final class RingFile {

    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RingFile() {
    }

    /**
     * Creates a new ring file; fails if the file exists (replacing a file that other processes map would make
     * their accesses fault).
     */
    static RingBuffer create(Path path, String name, int capacity, int maxRecordSize, long stallTimeoutNanos)
            throws IOException {
        final int length = RingDescriptor.regionLength(capacity, maxRecordSize);
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            try {
                // Mapping read-write extends the new file to the region's length; the new bytes read zero.
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            } catch (IOException | RuntimeException e) {
                java.nio.file.Files.deleteIfExists(path); // ours (CREATE_NEW), and useless half-made
                throw e;
            }
        }
        final ByteBuffer region = mapped.order(ByteOrder.LITTLE_ENDIAN);
        region.putInt(VERSION_OFFSET, LAYOUT_VERSION);
        region.putInt(CAPACITY_OFFSET, capacity);
        region.putInt(MAX_RECORD_SIZE_OFFSET, maxRecordSize);
        region.putLong(CREATION_TIME_OFFSET, System.currentTimeMillis());
        // Release, last: a process that opens the file while we create it sees either no magic ("not a ring file")
        // or a complete header.
        WORD.setRelease(region, MAGIC_OFFSET, MAGIC);
        return new RingBuffer(name, region, capacity, maxRecordSize, path, stallTimeoutNanos);
    }

    /** Opens an existing ring file after validating it. */
    static RingBuffer open(Path path, String name, long expectedCapacity, int expectedMaxRecordSize,
            long stallTimeoutNanos) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            if (size < DATA_OFFSET) {
                throw new InvalidRingFileException(path, "the file is " + size + " bytes, smaller than the "
                        + DATA_OFFSET + "-byte header page of a ring file");
            }
            final ByteBuffer page = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
            while (page.hasRemaining()) {
                if (channel.read(page, page.position()) < 0) {
                    throw new InvalidRingFileException(path, "the file ended while reading its header page");
                }
            }
            final int[] layout = validateHeader(path, page, size, expectedCapacity, expectedMaxRecordSize);
            final int capacity = layout[0];
            final int maxRecordSize = layout[1];
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0,
                    RingDescriptor.regionLength(capacity, maxRecordSize));
            final ByteBuffer region = mapped.order(ByteOrder.LITTLE_ENDIAN);
            // The positions again, from the mapping itself, with the ordering the ring uses.
            validatePositions(path, (long) WORD.getAcquire(region, CONSUMER_POSITION_OFFSET),
                    (long) WORD.getAcquire(region, READ_POSITION_OFFSET),
                    (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET), capacity);
            repairConsumerCache(region);
            return new RingBuffer(name, region, capacity, maxRecordSize, path, stallTimeoutNanos);
        }
    }

    /** @return {capacity, maxRecordSize} */
    private static int[] validateHeader(Path path, ByteBuffer page, long size, long expectedCapacity,
            int expectedMaxRecordSize) throws InvalidRingFileException {
        final long magic = page.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new InvalidRingFileException(path, "wrong magic 0x" + Long.toHexString(magic) + " (a ring file "
                    + "starts with 0x" + Long.toHexString(MAGIC) + ", \"RINGBUF1\"): not a ring file, or not yet "
                    + "completely created");
        }
        final int version = page.getInt(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new InvalidRingFileException(path, "layout version " + version + " is not supported (this "
                    + "library reads version " + LAYOUT_VERSION + ")");
        }
        final int capacity = page.getInt(CAPACITY_OFFSET);
        try {
            RingDescriptor.checkCapacity(capacity);
        } catch (IllegalArgumentException e) {
            throw new InvalidRingFileException(path, e.getMessage());
        }
        if (expectedCapacity >= 0 && expectedCapacity != capacity) {
            throw new InvalidRingFileException(path, "its capacity is " + capacity + ", not the " + expectedCapacity
                    + " the builder asked for");
        }
        final int maxRecordSize = page.getInt(MAX_RECORD_SIZE_OFFSET);
        try {
            RingDescriptor.checkMaxRecordSize(maxRecordSize, capacity);
        } catch (IllegalArgumentException e) {
            throw new InvalidRingFileException(path, e.getMessage());
        }
        if (expectedMaxRecordSize >= 0 && expectedMaxRecordSize != maxRecordSize) {
            throw new InvalidRingFileException(path, "its maxRecordSize is " + maxRecordSize + ", not the "
                    + expectedMaxRecordSize + " the builder asked for");
        }
        final long length = RingDescriptor.regionLength(capacity, maxRecordSize);
        if (size < length) {
            throw new InvalidRingFileException(path, "the file is " + size + " bytes, but a ring of capacity "
                    + capacity + " and maxRecordSize " + maxRecordSize + " needs " + length
                    + " (header page + data area + tail extension): truncated");
        }
        validatePositions(path, page.getLong(CONSUMER_POSITION_OFFSET), page.getLong(READ_POSITION_OFFSET),
                page.getLong(PRODUCER_POSITION_OFFSET), capacity);
        return new int[] {capacity, maxRecordSize};
    }

    private static void validatePositions(Path path, long consumer, long read, long producerWord, int capacity)
            throws InvalidRingFileException {
        final long producer = producerWord & ~CLOSED_BIT;
        if (((consumer | read | producer) & (RecordDescriptor.ALIGNMENT - 1)) != 0 || consumer < 0
                || consumer > read || read > producer || producer - consumer > capacity) {
            throw new InvalidRingFileException(path, "impossible positions: consumer " + consumer + ", read " + read
                    + ", producer " + producer + " (rule: all 8-aligned, 0 <= consumer <= read <= producer, "
                    + "producer - consumer <= capacity = " + capacity + ")");
        }
    }

    /**
     * The producers' cache of the consumer position is derived data: if it is impossible (misaligned, negative or ahead
     * of the consumer position), reset it to the consumer position. Documented repair.
     */
    private static void repairConsumerCache(ByteBuffer region) {
        final long consumer = (long) WORD.getAcquire(region, CONSUMER_POSITION_OFFSET);
        final long cache = (long) WORD.getAcquire(region, CONSUMER_CACHE_OFFSET);
        if ((cache & (RecordDescriptor.ALIGNMENT - 1)) != 0 || cache > consumer || cache < 0) {
            // CAS: a producer refreshing it concurrently stores a valid value; keep whichever is valid.
            WORD.compareAndSet(region, CONSUMER_CACHE_OFFSET, cache, consumer);
        }
    }
}
