package dev.ringbuf.bpf;

import static dev.ringbuf.bpf.KernelRingMapping.BUSY_BIT;
import static dev.ringbuf.bpf.KernelRingMapping.DISCARD_BIT;
import static dev.ringbuf.bpf.KernelRingMapping.HEADER_SIZE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringbuf.core.Timeouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The producer of a kernel {@code BPF_MAP_TYPE_USER_RINGBUF} (Linux 6.1): Java reserves and commits records, a BPF
 * program drains them with {@code bpf_user_ringbuf_drain}, in reservation order. The kernel's user-ring rules hold
 * (libbpf's {@code user_ring_buffer__reserve}): the producer position is published with the busy header before the
 * payload is written, a record is committed or discarded by storing its final length word, the kernel's drain stops
 * at the first busy record, and a record may hold at most {@code min(capacity - 8, 2^24 - 1)} bytes (its payload
 * must fit a {@code bpf_dynptr}). Reservations are serialised by a lock (libbpf leaves that to its caller); commits
 * and payload writes need none.
 *
 * <pre>{@code
 * try (KernelUserRingBuffer ring = KernelUserRingBuffer.openPinned(Path.of("/sys/fs/bpf/commands"))) {
 *     long at = ring.claim(16);                 // -1 when the ring has no room: counted as a drop
 *     if (at >= 0) {
 *         ring.putLong(at, 0, sequence).putInt(at, 8, opcode);
 *         ring.submit(at);                       // or ring.discard(at)
 *     }
 *     ring.output(bytes);                        // claim + copy + submit
 * }
 * }</pre>
 */
public final class KernelUserRingBuffer implements AutoCloseable {

    /** {@code DYNPTR_MAX_SIZE + 1}: the kernel hands a sample to the program as a dynptr of at most 2^24 - 1 bytes. */
    private static final int DYNPTR_LIMIT = 1 << 24;
    private static final ValueLayout.OfInt INT = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong LONG = JAVA_LONG.withByteAlignment(1);

    private final int fd;
    private final boolean ownsFd;
    private final BpfMapInfo info;
    private final KernelRingMapping mapping;
    private final MemorySegment data;
    private final RingWaiter spaceWaiter;
    private final int maxRecordSize;
    private final Object claimLock = new Object();
    /** The producer position this side published last; written under the claim lock only. */
    private long producerPosition;
    private volatile long dropped;
    private volatile boolean closed;

    private KernelUserRingBuffer(int fd, boolean ownsFd) {
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.info = Bpf.mapInfo(fd);
        if (info.type() != Bpf.MAP_TYPE_USER_RINGBUF) {
            throw new BpfException("fd " + fd + " ('" + info.name() + "') is a " + Bpf.mapTypeName(info.type())
                    + ", not a BPF_MAP_TYPE_USER_RINGBUF" + (info.type() == Bpf.MAP_TYPE_RINGBUF
                            ? " (the kernel produces into that one: consume it with KernelRingBuffer)" : ""));
        }
        if (info.maxEntries() > KernelRingBuffer.MAX_CAPACITY) {
            throw new BpfException("user ring buffer fd " + fd + " has " + info.maxEntries() + " bytes, over "
                    + KernelRingBuffer.MAX_CAPACITY);
        }
        this.mapping = KernelRingMapping.mapUserRing(fd, info.maxEntries());
        try {
            this.spaceWaiter = RingWaiter.edgeTriggeredOut(fd);
        } catch (RuntimeException | Error e) {
            mapping.close();
            throw e;
        }
        this.data = mapping.data();
        this.maxRecordSize = Math.min(mapping.capacity - HEADER_SIZE, DYNPTR_LIMIT - 1);
        this.producerPosition = mapping.laProducerPosition();
    }

    /**
     * Opens the user ring buffer behind {@code fd}, which stays the caller's.
     *
     * @param fd a {@code BPF_MAP_TYPE_USER_RINGBUF} map's descriptor
     * @return the producer
     * @throws BpfException if {@code fd} is not a user ring buffer, or mapping it fails
     */
    public static KernelUserRingBuffer open(int fd) {
        return new KernelUserRingBuffer(fd, false);
    }

    /**
     * Opens a user ring buffer pinned in a BPF file system; {@link #close()} closes the descriptor.
     *
     * @param path the pinned path
     * @return the producer
     * @throws BpfException if nothing is pinned there or it is not a user ring buffer
     */
    public static KernelUserRingBuffer openPinned(Path path) {
        return openOwned(Bpf.getPinned(path));
    }

    /**
     * Creates a user ring buffer map of {@code size} bytes and opens it; {@link #close()} closes its descriptor.
     *
     * @param size the data area: a power of two, 4096 .. {@link KernelRingBuffer#MAX_CAPACITY}
     * @param name the map's name, or empty
     * @return the producer
     * @throws BpfException if the kernel refuses (no privilege, a kernel before 6.1)
     */
    public static KernelUserRingBuffer create(int size, String name) {
        Bpf.checkRingSize(size);
        return openOwned(Bpf.createMap(Bpf.MAP_TYPE_USER_RINGBUF, 0, 0, size, 0, name));
    }

    private static KernelUserRingBuffer openOwned(int fd) {
        try {
            return new KernelUserRingBuffer(fd, true);
        } catch (RuntimeException | Error e) {
            Native.close(fd);
            throw e;
        }
    }

    /**
     * Reserves a record of {@code size} payload bytes: its busy header is published at once, so the kernel's drain
     * stops at it until it is {@linkplain #submit submitted} or {@linkplain #discard discarded}.
     *
     * @param size payload bytes, 0 .. {@link #maxRecordSize()}
     * @return the record's position, or -1 when the ring has no room (counted in {@link #recordsDropped()})
     * @throws IllegalArgumentException if {@code size} is negative or over {@link #maxRecordSize()}
     * @throws IllegalStateException if the ring is closed
     */
    public long claim(int size) {
        if (size < 0 || size > maxRecordSize) {
            throw new IllegalArgumentException("record size " + size + " must be between 0 and " + maxRecordSize
                    + " (the ring's capacity minus its 8-byte header, and at most 2^24 - 1 for the kernel's dynptr)");
        }
        final long total = KernelRingMapping.recordLength(size);
        synchronized (claimLock) {
            checkOpen();
            final long position = producerPosition;
            // Acquire pairs with the kernel's release of consumer_pos after a drain: the space it gave back is free.
            if (mapping.capacity - (position - mapping.laConsumerPosition()) < total) {
                dropped = dropped + 1;
                return -1;
            }
            mapping.spHeader((int) (position & mapping.mask), (size | BUSY_BIT) & 0xffffffffL);
            producerPosition = position + total;
            mapping.srProducerPosition(position + total); // after the busy header: the kernel never sees it unset
            return position;
        }
    }

    /**
     * Commits a reserved record: the draining program receives it.
     *
     * @param position what {@link #claim} returned
     * @throws IllegalStateException if that is not a live reservation (committed or discarded already, or never
     *     claimed)
     */
    public void submit(long position) {
        finish(position, false);
    }

    /**
     * Discards a reserved record: the kernel skips it.
     *
     * @param position what {@link #claim} returned
     * @throws IllegalStateException if that is not a live reservation
     */
    public void discard(long position) {
        finish(position, true);
    }

    private void finish(long position, boolean discard) {
        final int length = liveLength(position);
        mapping.srLength((int) (position & mapping.mask), discard ? length | DISCARD_BIT : length);
    }

    /**
     * Claims, copies and submits {@code payload}.
     *
     * @param payload the record's bytes
     * @return {@code false} when the ring had no room (counted in {@link #recordsDropped()})
     */
    public boolean output(byte[] payload) {
        final long at = claim(payload.length);
        if (at < 0) {
            return false;
        }
        putBytes(at, 0, payload, 0, payload.length);
        submit(at);
        return true;
    }

    /**
     * Writes a little-endian {@code long} at {@code index} of a reserved record's payload.
     *
     * @param position what {@link #claim} returned
     * @param index the payload offset
     * @param value the value
     * @return this ring, for chained writes
     * @throws IndexOutOfBoundsException if the write is outside the payload
     * @throws IllegalStateException if the record is no longer reserved
     */
    public KernelUserRingBuffer putLong(long position, int index, long value) {
        data.set(LONG, payloadOffset(position, index, Long.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code int}; see {@link #putLong}.
     *
     * @param position what {@link #claim} returned
     * @param index the payload offset
     * @param value the value
     * @return this ring
     */
    public KernelUserRingBuffer putInt(long position, int index, int value) {
        data.set(INT, payloadOffset(position, index, Integer.BYTES), value);
        return this;
    }

    /**
     * Writes a byte; see {@link #putLong}.
     *
     * @param position what {@link #claim} returned
     * @param index the payload offset
     * @param value the value
     * @return this ring
     */
    public KernelUserRingBuffer putByte(long position, int index, byte value) {
        data.set(JAVA_BYTE, payloadOffset(position, index, 1), value);
        return this;
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code offset}; see {@link #putLong}.
     *
     * @param position what {@link #claim} returned
     * @param index the payload offset
     * @param src the bytes
     * @param offset where in {@code src} they start
     * @param length how many
     * @return this ring
     */
    public KernelUserRingBuffer putBytes(long position, int index, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        MemorySegment.copy(src, offset, data, JAVA_BYTE, payloadOffset(position, index, length), length);
        return this;
    }

    /** The data offset of payload byte {@code index}: contiguous even past the end, the data is mapped twice. */
    private long payloadOffset(long position, int index, int size) {
        final int length = liveLength(position);
        if (index < 0 || size < 0 || index > length - size) {
            throw new IndexOutOfBoundsException("index " + index + " with size " + size
                    + " is outside the record's payload of length " + length);
        }
        return (position & mapping.mask) + HEADER_SIZE + index;
    }

    /** The payload length of the live reservation at {@code position}; throws if there is none. */
    private int liveLength(long position) {
        checkOpen();
        final long consumer = mapping.laConsumerPosition();
        final long producer = mapping.laProducerPosition();
        final int word = position >= consumer && position < producer && (position & 7) == 0
                ? data.get(JAVA_INT, position & mapping.mask) : 0;
        if ((word & BUSY_BIT) == 0) {
            throw new IllegalStateException("position " + position + " is not a live reservation of user ring '"
                    + name() + "': it was submitted or discarded already, or never claimed");
        }
        return word & ~(BUSY_BIT | DISCARD_BIT);
    }

    /**
     * Waits until a record of {@code size} bytes would fit, or the timeout passes: {@code epoll} on the map's
     * descriptor, which the kernel notifies after a drain.
     *
     * @param size the payload bytes the next claim needs
     * @param timeout the longest wait
     * @return whether it fits now
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitSpace(int size, Duration timeout) throws InterruptedException {
        final long total = KernelRingMapping.recordLength(size);
        final long deadline = Timeouts.deadline(timeout);
        while (true) {
            checkOpen();
            if (mapping.capacity - (mapping.laProducerPosition() - mapping.laConsumerPosition()) >= total) {
                return true;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            // Edge-triggered: a drain after the check above is still reported to this wait. 100 ms slices let an
            // interrupt through.
            spaceWaiter.await((int) Math.min(100, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999)));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while awaiting space in user ring '" + name() + "'");
            }
        }
    }

    /** @return the map's descriptor (the draining program's map) */
    public int fd() {
        return fd;
    }

    /** @return the map's name, or {@code map-<id>} */
    public String name() {
        return info.name().isEmpty() ? "map-" + info.id() : info.name();
    }

    /** @return the data area's bytes */
    public int capacity() {
        return mapping.capacity;
    }

    /** @return the largest payload a record may have */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /** @return the producer position (end of the last reservation) */
    public long producerPosition() {
        return mapping.laProducerPosition();
    }

    /** @return the kernel's consumer position (end of the last record it drained) */
    public long consumerPosition() {
        return mapping.laConsumerPosition();
    }

    /** @return reservations refused because the ring had no room */
    public long recordsDropped() {
        return dropped;
    }

    /** Unmaps the ring and closes the descriptor if this object opened it. Idempotent. */
    @Override
    public void close() {
        synchronized (claimLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        spaceWaiter.wakeForever();
        spaceWaiter.close();
        mapping.close();
        if (ownsFd) {
            Native.close(fd);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("user ring '" + name() + "' is closed");
        }
    }
}
