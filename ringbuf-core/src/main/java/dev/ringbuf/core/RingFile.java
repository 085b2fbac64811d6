package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CAPACITY_OFFSET;
import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.CONSUMER_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.DATA_OFFSET;
import static dev.ringbuf.core.RingLayout.LAYOUT_VERSION;
import static dev.ringbuf.core.RingLayout.MAGIC;
import static dev.ringbuf.core.RingLayout.MAGIC_OFFSET;
import static dev.ringbuf.core.RingLayout.MAX_RECORD_SIZE_OFFSET;
import static dev.ringbuf.core.RingLayout.PRODUCER_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.READ_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.VERSION_OFFSET;
import static dev.ringbuf.core.RingLayout.FLAGS_OFFSET;
import static dev.ringbuf.core.RingLayout.STALL_TIMEOUT_OFFSET;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Creates and opens ring files: the ring's region (header page, data area, tail extension; see
 * {@link RingLayout}) as a memory-mapped file that producers and a consumer in several processes share.
 *
 * <p>Opening reads the header page with an ordinary read, validates every field against the file's size, and only
 * then maps exactly the region the header describes, never past the end of the file. The mapping stays valid after
 * the channel is closed (as {@link FileChannel#map} specifies), and is released when the ring becomes unreachable:
 * Java 17 has no public way to unmap a {@link MappedByteBuffer} deterministically.
 */
final class RingFile {

    private RingFile() {
    }

    /**
     * Creates a new ring file. An existing file is replaced only if it is a ring file whose stream has ended: the new
     * ring is made beside it and renamed over it atomically, so processes that still map the old one keep reading
     * the old file (its inode) and never see it change under them. A live ring file, or any other file, is refused.
     */
    static RingBuffer create(Path path, String name, int capacity, int maxRecordSize, long stallTimeoutNanos,
            boolean overwrite) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return createNew(path, path, name, capacity, maxRecordSize, stallTimeoutNanos, overwrite);
        }
        checkReplaceable(path);
        final Path sibling = path.resolveSibling(path.getFileName() + ".new-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        final RingBuffer ring = createNew(sibling, path, name, capacity, maxRecordSize, stallTimeoutNanos,
                overwrite);
        try {
            Files.move(sibling, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(sibling);
            throw e;
        }
        return ring;
    }

    private static void checkReplaceable(Path path) throws IOException {
        final long producerWord;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            final ByteBuffer page = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
            while (page.hasRemaining() && channel.read(page, page.position()) >= 0) {
                // read the header page, or as much of it as there is
            }
            if (page.position() < DATA_OFFSET || page.getLong(MAGIC_OFFSET) != MAGIC) {
                throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a ring file: "
                        + "create() replaces only a ring file whose stream has ended");
            }
            producerWord = page.getLong(PRODUCER_POSITION_OFFSET);
        }
        if (producerWord >= 0) {
            throw new FileAlreadyExistsException(path.toString(), null, "is a live ring file (its stream has not "
                    + "ended): open() it, or end its stream (endStream(), or close() on the handle that created it) "
                    + "before create() replaces it");
        }
    }

    /** Creates the file {@code file}, to be known as {@code path} (they differ while replacing). */
    private static RingBuffer createNew(Path file, Path path, String name, int capacity, int maxRecordSize,
            long stallTimeoutNanos, boolean overwrite) throws IOException {
        final int length = RingLayout.regionLength(capacity, maxRecordSize);
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            try {
                // Mapping read-write extends the new file to the region's length; the new bytes read zero.
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file); // ours (CREATE_NEW), and useless half-made
                throw e;
            }
        }
        // The same formatter as in process memory; the magic last, with release.
        final RingRegion words = RingRegion.format(mapped.order(ByteOrder.LITTLE_ENDIAN), capacity, maxRecordSize,
                stallTimeoutNanos, overwrite);
        return RingKinds.ringFile(name, path, words, capacity, maxRecordSize, stallTimeoutNanos, true, overwrite);
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
                    RingLayout.regionLength(capacity, maxRecordSize));
            final RingRegion region = new RingRegion(mapped, capacity, maxRecordSize);
            // The positions again, from the mapping itself, with the ordering the ring uses.
            validatePositions(path, region.laConsumerPosition(), region.laReadPosition(),
                    region.laProducerPosition(), region.laOverwriteWord(), capacity);
            repairConsumerCache(region);
            // The creator's stall timeout, recorded in the file, is the ring's; a file made before it was recorded
            // (0) takes the opener's.
            final long recorded = page.getLong(STALL_TIMEOUT_OFFSET);
            if (recorded != 0 && !StallTimeout.isValid(recorded)) {
                throw new InvalidRingFileException(path, "its stall timeout of " + recorded + " ns is below the floor "
                        + "of " + RingBufferBuilder.MIN_STALL_TIMEOUT + " (a shorter one abandons healthy producers)");
            }
            // The mode is the file's, whatever the builder said.
            final boolean overwrite = (page.getLong(FLAGS_OFFSET) & RingLayout.FLAG_OVERWRITE) != 0;
            return RingKinds.ringFile(name, path, region, capacity, maxRecordSize,
                    recorded > 0 ? recorded : stallTimeoutNanos,
                    false, overwrite);
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
        final long flags = page.getLong(FLAGS_OFFSET);
        if ((flags & ~RingLayout.KNOWN_FLAGS) != 0) {
            throw new InvalidRingFileException(path, "feature flags 0x" + Long.toHexString(flags) + " are not known to "
                    + "this library (it knows 0x" + Long.toHexString(RingLayout.KNOWN_FLAGS)
                    + "): the file was made by a newer version");
        }
        final int capacity = page.getInt(CAPACITY_OFFSET);
        try {
            RingLayout.checkCapacity(capacity);
        } catch (IllegalArgumentException e) {
            throw new InvalidRingFileException(path, e.getMessage());
        }
        if (expectedCapacity >= 0 && expectedCapacity != capacity) {
            throw new InvalidRingFileException(path, "its capacity is " + capacity + ", not the " + expectedCapacity
                    + " the builder asked for");
        }
        final int maxRecordSize = page.getInt(MAX_RECORD_SIZE_OFFSET);
        try {
            RingLayout.checkMaxRecordSize(maxRecordSize, capacity);
        } catch (IllegalArgumentException e) {
            throw new InvalidRingFileException(path, e.getMessage());
        }
        if (expectedMaxRecordSize >= 0 && expectedMaxRecordSize != maxRecordSize) {
            throw new InvalidRingFileException(path, "its maxRecordSize is " + maxRecordSize + ", not the "
                    + expectedMaxRecordSize + " the builder asked for");
        }
        final long length = RingLayout.regionLength(capacity, maxRecordSize);
        if (size < length) {
            throw new InvalidRingFileException(path, "the file is " + size + " bytes, but a ring of capacity "
                    + capacity + " and maxRecordSize " + maxRecordSize + " needs " + length
                    + " (header page + data area + tail extension): truncated");
        }
        validatePositions(path, page.getLong(CONSUMER_POSITION_OFFSET), page.getLong(READ_POSITION_OFFSET),
                page.getLong(PRODUCER_POSITION_OFFSET), page.getLong(RingLayout.OVERWRITE_POSITION_OFFSET), capacity);
        return new int[] {capacity, maxRecordSize};
    }

    private static void validatePositions(Path path, long consumer, long read, long producerWord,
            long overwriteWord, int capacity) throws InvalidRingFileException {
        final long producer = producerWord & ~CLOSED_BIT;
        // Overwrite mode: space is reclaimed from the overwrite position (0 in normal mode, so this is the consumer).
        final long overwrite = overwriteWord & ~RingLayout.OVERWRITE_PINNED;
        final long oldest = Math.max(consumer, overwrite);
        if (((consumer | read | producer | overwrite) & (RingLayout.ALIGNMENT - 1)) != 0 || consumer < 0
                || consumer > read || read > producer || overwrite > producer || producer - oldest > capacity) {
            throw new InvalidRingFileException(path, "impossible positions: consumer " + consumer + ", read " + read
                    + ", producer " + producer + ", overwrite " + overwrite + " (rule: all 8-aligned, 0 <= consumer "
                    + "<= read <= producer, overwrite <= producer, producer - max(consumer, overwrite) <= capacity = "
                    + capacity + ")");
        }
    }

    /**
     * The producers' cache of the consumer position is derived data: if it is impossible (misaligned, negative or ahead
     * of the consumer position), reset it to the consumer position. Documented repair.
     */
    private static void repairConsumerCache(RingRegion region) {
        final long consumer = region.laConsumerPosition();
        final long cache = region.laConsumerCache();
        if ((cache & (RingLayout.ALIGNMENT - 1)) != 0 || cache > consumer || cache < 0) {
            // CAS: a producer refreshing it concurrently stores a valid value; keep whichever is valid.
            region.casConsumerCache(cache, consumer);
        }
    }
}
