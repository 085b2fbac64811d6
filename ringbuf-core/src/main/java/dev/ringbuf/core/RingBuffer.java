package dev.ringbuf.core;

import static dev.ringbuf.core.RecordDescriptor.HEADER_LENGTH;
import static dev.ringbuf.core.RecordDescriptor.STATE_BUSY;
import static dev.ringbuf.core.RecordDescriptor.STATE_COMMITTED;
import static dev.ringbuf.core.RecordDescriptor.STATE_DISCARDED;
import static dev.ringbuf.core.RecordDescriptor.STATE_FREE;
import static dev.ringbuf.core.RecordDescriptor.header;
import static dev.ringbuf.core.RecordDescriptor.length;
import static dev.ringbuf.core.RecordDescriptor.recordLength;
import static dev.ringbuf.core.RecordDescriptor.state;
import static dev.ringbuf.core.RingDescriptor.CLOSED_BIT;
import static dev.ringbuf.core.RingDescriptor.CONSUMED_COUNT_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_CACHE_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.DISCARDED_COUNT_OFFSET;
import static dev.ringbuf.core.RingDescriptor.PRODUCER_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.READ_POSITION_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A multi-producer, single-consumer ring of variable-length byte records in one off-heap region, with the
 * semantics of the Linux kernel's BPF ring buffer ({@code BPF_MAP_TYPE_RINGBUF}).
 *
 * <p>Producers on any number of threads reserve space, write the record in place and commit or discard it (zero
 * copy), or {@link #output(byte[]) output} a copy. One consumer at a time {@link #consume(RecordHandler) consumes}
 * the committed records, strictly in reservation order: it stops at the first record that is still busy, even when
 * later ones are committed (head-of-line blocking is the price of that order), and skips discarded ones.
 *
 * <pre>{@code
 * RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 20).build();
 *
 * // producers, any thread
 * try (Reservation r = ring.reserve(12)) {        // null when the ring is full or closed: that drop is counted
 *     if (r != null) {
 *         r.putLong(0, seq).putInt(8, pid);
 *         r.commit();                             // or commit(Wakeup.FORCE), or discard()
 *     }
 * }
 * boolean ok = ring.output(bytes);                // reserve + copy + commit
 *
 * // the consumer, one thread at a time
 * while (running) {
 *     ring.consume(record -> handle(record.getLong(0), record.getInt(8)));
 *     ring.awaitData(Duration.ofMillis(100));     // parks until a producer's commit wakes it
 * }
 * }</pre>
 *
 * <h2>Accounting</h2> Positions are ever-increasing byte counters; a record of payload {@code S} occupies
 * {@code rec(S) = roundUp(S + 8, 8)} bytes. A reservation fails, and is counted as dropped with reason
 * {@link DropReason#FULL full}, when it would put the producer {@code capacity - 1} bytes or more ahead of the
 * consumer, so the ring holds at most {@code capacity - 8} bytes of records. Every record is contiguous in memory,
 * even one that starts near the end of the ring: it continues into a tail extension of the region.
 *
 * <h2>Wakeups</h2> After committing a record at position {@code p} with {@link Wakeup#DEFAULT}, the producer wakes
 * the consumer only if the consumer had caught up to {@code p}; {@link Wakeup#NONE} never wakes and
 * {@link Wakeup#FORCE} always does. A wakeup calls the {@link #setWakeupListener(WakeupListener) wakeup listener}
 * and unparks a consumer blocked in {@link #awaitData(Duration)}. No wakeup is lost: a consumer that has caught up
 * and waits is woken by the DEFAULT commit of the record it waits for.
 *
 * <h2>Threads</h2> Producer methods are thread-safe and lock-free: one CAS on the producer position per
 * reservation, no allocation on {@link #claim(int)}/{@link #commit(int)}. Consumer methods
 * ({@code consume}, {@code read}, {@code releaseTo}, {@code awaitData}) may be called from any thread but by one at
 * a time; a second concurrent consumer gets {@link IllegalStateException}. Queries are thread-safe and return
 * momentary values.
 */
public final class RingBuffer implements AutoCloseable {

    /** What {@link #claim(int)} returns when the ring is full or closed. */
    public static final int CLAIM_FAILED = -1;

    /**
     * Atomic little-endian access to the 8-byte words of the region (positions, counters, record headers). Every
     * word it touches is 8-byte aligned, which the byte-buffer view requires for its atomic access modes.
     */
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Source of zeroes for clearing consumed space. */
    private static final byte[] ZEROES = new byte[4096];

    private final String name;
    /** The whole region, little-endian: metadata page, data area, tail extension. */
    private final ByteBuffer region;
    /** The data area and tail extension, little-endian: the buffer that record offsets index. */
    private final ByteBuffer data;
    private final int capacity;
    private final int mask;
    private final int maxRecordSize;
    /** The data area and its mask, shared by every view of this ring's records. */
    private final RecordMemory recordMemory;
    /** The consumer's flyweight view: one per ring, so consuming allocates nothing. */
    private final RecordView view;
    /** One consumer at a time, in-process (a ring file keeps its guard in the file). */
    private final ConsumerGuard consumerGuard = new ConsumerGuard();

    // Drops and wakeups are counted only on paths that are already slow (a failed reservation, a wakeup), by
    // producers that may race: LongAdder keeps those increments uncontended. Consumed and discarded records are
    // counted by the consumer alone, in the region's consumer line.
    private final LongAdder droppedFull = new LongAdder();
    private final LongAdder droppedClosed = new LongAdder();
    private final LongAdder droppedOversize = new LongAdder();
    private final LongAdder wakeups = new LongAdder();

    /** Read by producers only on a wakeup; written when a consumer (un)plugs itself. */
    private volatile WakeupListener wakeupListener;
    /** The consumer thread parked in awaitData, or null. */
    private volatile Thread waiter;

    /** {@code -capacity}: a producer lead with any of these bits set is {@code >= capacity} or negative. */
    private final long fullMask;
    /** {@code log2(capacity)}, for the lap tag of ring files. */
    private final int capacityShift;
    /** {@link LapTag#MASK} for a ring file, 0 in-process (whose headers carry no tag). */
    private final long tagMask;
    /** The cross-process half of a ring file; {@code null} for an in-process ring. */
    final SharedRegion shared;

    RingBuffer(String name, ByteBuffer region, int capacity, int maxRecordSize) {
        this(name, region, capacity, maxRecordSize, null, 0);
    }

    /** A ring in {@code region}; with a {@code file}, a ring file shared with other processes. */
    RingBuffer(String name, ByteBuffer region, int capacity, int maxRecordSize, java.nio.file.Path file,
            long stallTimeoutNanos) {
        this.name = name;
        this.region = region.order(ByteOrder.LITTLE_ENDIAN);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxRecordSize = maxRecordSize;
        this.data = region.slice(RingDescriptor.DATA_OFFSET, capacity + RingDescriptor.tailExtension(maxRecordSize))
                .order(ByteOrder.LITTLE_ENDIAN);
        this.recordMemory = new RecordMemory(data, mask);
        this.view = new RecordView(recordMemory);
        this.fullMask = -(long) capacity;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.tagMask = file == null ? 0 : LapTag.MASK;
        this.shared = file == null ? null
                : new SharedRegion(this, file, this.region, data, capacity, maxRecordSize, stallTimeoutNanos);
    }

    /** The lap tag of a record at {@code position}: always 0 in-process. */
    long laps(long position) {
        return LapTag.of(position, capacityShift) & tagMask;
    }

    /**
     * A builder for a ring.
     *
     * <pre>{@code
     * RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 20).maxRecordSize(4096).build();
     * }</pre>
     *
     * @return a new builder
     */
    public static RingBufferBuilder builder() {
        return new RingBufferBuilder();
    }

    /**
     * A ring of {@code capacity} bytes with the default name and {@code maxRecordSize}.
     *
     * @param capacity a power of two from 64 to 2^30
     * @return the new ring
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     */
    public static RingBuffer allocate(int capacity) {
        return builder().capacity(capacity).build();
    }

    // ------------------------------------------------------------------------------------------------ producers

    /**
     * Reserves space for a record of {@code size} payload bytes, to be written in place and then committed or
     * discarded. Use it with try-with-resources, so that a producer that throws before committing discards its
     * reservation instead of blocking the ring.
     *
     * @param size payload bytes, 0 to {@link #maxRecordSize()}
     * @return the reservation, or {@code null} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxRecordSize()} (counted as a
     *     drop with reason {@code oversize})
     */
    public Reservation reserve(int size) {
        final long position = claimPosition(size);
        if (position < 0) {
            return null;
        }
        return new Reservation(this, data, position, (int) (position & mask) + HEADER_LENGTH, size);
    }

    /**
     * Reserves space for a record of {@code size} payload bytes without allocating: the zero-allocation path for
     * hot producers. Write the payload into {@link #buffer()} at the returned offset, then {@link #commit(int)} or
     * {@link #discard(int)} it exactly once.
     *
     * <pre>{@code
     * ByteBuffer buffer = ring.buffer();     // once per producer: absolute accessors only
     * int offset = ring.claim(16);
     * if (offset != RingBuffer.CLAIM_FAILED) {
     *     buffer.putLong(offset, seq).putLong(offset + 8, nanos);
     *     ring.commit(offset);
     * }
     * }</pre>
     *
     * @param size payload bytes, 0 to {@link #maxRecordSize()}
     * @return the payload's offset in {@link #buffer()}, or {@link #CLAIM_FAILED} when the ring is full or closed
     *     (counted as a drop)
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxRecordSize()}
     */
    public int claim(int size) {
        final long position = claimPosition(size);
        return position < 0 ? CLAIM_FAILED : (int) (position & mask) + HEADER_LENGTH;
    }

    /**
     * The reservation algorithm: one CAS on the producer position, then the busy header.
     *
     * @return the record's position, or -1 when full or closed (counted)
     */
    long claimPosition(int size) {
        if (size < 0 || size > maxRecordSize) {
            droppedOversize.increment();
            throw new IllegalArgumentException("record size " + size + " must be between 0 and maxRecordSize "
                    + maxRecordSize + " of ring '" + name + "'");
        }
        final ByteBuffer region = this.region;
        final long recordLength = recordLength(size);
        final long maxLead = capacity - 1L;
        // Acquire pairs with the release in refreshConsumerCache: the consumer zeroed the space below the cached
        // position before publishing it, and our header and payload writes into that space must come after the
        // zeroing, or the consumer's zeroes could land on top of them.
        long consumerPosition = (long) WORD.getAcquire(region, CONSUMER_CACHE_OFFSET);
        long position;
        long next;
        do {
            // Opaque is enough: the value only seeds the CAS below, which fails if it is stale.
            position = (long) WORD.getOpaque(region, PRODUCER_POSITION_OFFSET);
            if (position < 0) { // CLOSED_BIT
                droppedClosed.increment();
                return -1;
            }
            next = position + recordLength;
            // Same cost as `next - consumerPosition > maxLead`, and a cached consumer position beyond the producer
            // (possible only if a ring file was corrupted) also takes the slow path, which validates it.
            if (((next - consumerPosition) & fullMask) != 0) {
                consumerPosition = refreshConsumerCache(region);
                if (next - consumerPosition > maxLead) {
                    droppedFull.increment();
                    return -1;
                }
            }
            // Ring files: before claiming, check the space is really free (never write over a live record).
        } while ((shared != null && !shared.isClaimable(position, recordLength))
                || !WORD.compareAndSet(region, PRODUCER_POSITION_OFFSET, position, next));

        // The space [position, next) is ours. Until the header below is written it reads zero (the consumer zeroed
        // it when it passed it), which the consumer treats like busy, so a consumer that sees the new producer
        // position early still stops here. Opaque: no ordering needed, busy and zero mean the same to a reader.
        if (shared == null) {
            WORD.setOpaque(data, (int) (position & mask), header(STATE_BUSY, size));
        } else {
            shared.writeBusyHeader((int) (position & mask), header(STATE_BUSY, size) | laps(position), position);
        }
        return position;
    }

    private long refreshConsumerCache(ByteBuffer region) {
        // Ring files: a producer position read before the consumer position (acquire keeps that order) bounds what a
        // legitimate consumer position can be; see SharedRegion.checkConsumerPosition.
        final long before = shared == null ? 0 : (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET);
        // Acquire pairs with the consumer's release of its position, after it zeroed the space it freed.
        final long consumerPosition = (long) WORD.getAcquire(region, CONSUMER_POSITION_OFFSET);
        if (shared != null) {
            // A ring file's consumer position can be corrupted by another process: never trust an impossible one.
            shared.checkConsumerPosition(before, consumerPosition);
        }
        // Release passes that happens-before edge on to the producers that read the cache (acquire, above). A racing
        // producer may store an older value over a newer one: harmless, an old consumer position is only
        // pessimistic, and it is refreshed again on the next near-full reservation.
        WORD.setRelease(region, CONSUMER_CACHE_OFFSET, consumerPosition);
        return consumerPosition;
    }

    /**
     * Commits a claimed record with the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @throws IllegalStateException if {@code offset} is not a live reservation (already committed or discarded,
     *     or never claimed)
     */
    public void commit(int offset) {
        finish(offset, STATE_COMMITTED, Wakeup.DEFAULT);
    }

    /**
     * Commits a claimed record: the consumer will deliver it once every record reserved before it is committed or
     * discarded.
     *
     * <p>The offset API cannot tell a live reservation from one that was committed, consumed and claimed again by
     * another producer at the same offset; {@link Reservation} tracks its own state and always can.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @param wakeup whether to wake the consumer
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    public void commit(int offset, Wakeup wakeup) {
        finish(offset, STATE_COMMITTED, wakeup);
    }

    /**
     * Discards a claimed record with the {@link Wakeup#DEFAULT DEFAULT} wakeup: it keeps its bytes until the
     * consumer passes it, and is never delivered.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    public void discard(int offset) {
        finish(offset, STATE_DISCARDED, Wakeup.DEFAULT);
    }

    /**
     * Discards a claimed record: it keeps its bytes until the consumer passes it, and is never delivered.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @param wakeup whether to wake the consumer (a consumer waiting at this record must move past it)
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    public void discard(int offset, Wakeup wakeup) {
        finish(offset, STATE_DISCARDED, wakeup);
    }

    private void finish(int offset, int state, Wakeup wakeup) {
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        final int headerOffset = offset - HEADER_LENGTH;
        if (headerOffset < 0 || headerOffset >= capacity || (headerOffset & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
            throw new IllegalStateException("offset " + offset + " is not a live reservation of ring '" + name
                    + "': a record offset is 8-byte aligned and between 8 and " + capacity);
        }
        // Our own busy header (program order), unless the offset is not ours.
        final long header = (long) WORD.getOpaque(data, headerOffset);
        if (state(header & ~tagMask) != STATE_BUSY) { // exact, tag aside: a stray offset rarely passes
            throw new IllegalStateException("offset " + offset + " is not a live reservation of ring '" + name
                    + "': its record is " + RecordDescriptor.stateName(state(header))
                    + " (committed or discarded twice, or never claimed)");
        }
        publish(headerOffset, header(state, length(header)) | (header & tagMask), wakeup);
    }

    /** Commits or discards the record whose header is at {@code headerOffset}, then applies the wakeup policy. */
    void publish(int headerOffset, long header, Wakeup wakeup) {
        if (shared == null) {
            // Release: the payload written before it is visible to the consumer that reads this header with acquire.
            WORD.setRelease(data, headerOffset, header);
        } else {
            shared.publishHeader(headerOffset, header); // a CAS: the record may have been abandoned
        }
        if (wakeup == Wakeup.NONE) {
            return;
        }
        // StoreLoad, the race a lost wakeup needs: the consumer publishes its read position, fences, then re-reads
        // our header before it sleeps; we publish the header, fence, then read its position (and its waiter). Without
        // a fence on both sides each could read the other's old value: the consumer sleeps on a busy header and we
        // see it "not caught up", and the record waits forever. The kernel gets the same fence from xchg.
        VarHandle.fullFence();
        if (wakeup == Wakeup.FORCE) {
            wake();
            return;
        }
        // DEFAULT: wake only if the consumer had caught up to this very record. Comparing offsets is exact while the
        // record is unconsumed (the consumer cannot pass a busy record, and is less than a lap behind); if it was
        // consumed in the meantime and the consumer went a whole lap further, the wakeup is spurious, never lost.
        final long readPosition = (long) WORD.getOpaque(region, READ_POSITION_OFFSET);
        if ((int) (readPosition & mask) == headerOffset) {
            wake();
        }
    }

    private void wake() {
        wakeups.increment();
        if (shared != null) {
            shared.ringDoorbell();
        }
        signalConsumer();
    }

    /** Tells this process's consumer to run: its wakeup listener, and the thread parked in awaitData. */
    private void signalConsumer() {
        final WakeupListener listener = wakeupListener;
        if (listener != null) {
            listener.onWakeup();
        }
        final Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }

    /**
     * Copies a record into the ring and commits it with the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @param src the payload
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    public boolean output(byte[] src) {
        Objects.requireNonNull(src, "src must not be null");
        return output(src, 0, src.length, Wakeup.DEFAULT);
    }

    /**
     * Copies a record into the ring and commits it.
     *
     * @param src the payload
     * @param wakeup whether to wake the consumer
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    public boolean output(byte[] src, Wakeup wakeup) {
        Objects.requireNonNull(src, "src must not be null");
        return output(src, 0, src.length, wakeup);
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code srcOffset} into the ring as one record, and commits it
     * with the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @param src the bytes
     * @param srcOffset first byte
     * @param length payload length
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalArgumentException if {@code length} is larger than {@link #maxRecordSize()}
     */
    public boolean output(byte[] src, int srcOffset, int length) {
        return output(src, srcOffset, length, Wakeup.DEFAULT);
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code srcOffset} into the ring as one record, and commits it.
     *
     * @param src the bytes
     * @param srcOffset first byte
     * @param length payload length
     * @param wakeup whether to wake the consumer
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalArgumentException if {@code length} is larger than {@link #maxRecordSize()}
     */
    public boolean output(byte[] src, int srcOffset, int length, Wakeup wakeup) {
        Objects.requireNonNull(src, "src must not be null");
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        final long position = claimPosition(length);
        if (position < 0) {
            return false;
        }
        final int headerOffset = (int) (position & mask);
        data.put(headerOffset + HEADER_LENGTH, src, srcOffset, length);
        publish(headerOffset, header(STATE_COMMITTED, length) | laps(position), wakeup);
        return true;
    }

    /**
     * Copies the remaining bytes of {@code src} into the ring as one record and commits it with the
     * {@link Wakeup#DEFAULT DEFAULT} wakeup. The position and limit of {@code src} are left unchanged.
     *
     * @param src the payload, from its position to its limit
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    public boolean output(ByteBuffer src) {
        return output(src, Wakeup.DEFAULT);
    }

    /**
     * Copies the remaining bytes of {@code src} into the ring as one record and commits it. The position and limit
     * of {@code src} are left unchanged.
     *
     * @param src the payload, from its position to its limit
     * @param wakeup whether to wake the consumer
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    public boolean output(ByteBuffer src, Wakeup wakeup) {
        Objects.requireNonNull(src, "src must not be null");
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        final int length = src.remaining();
        final long position = claimPosition(length);
        if (position < 0) {
            return false;
        }
        final int headerOffset = (int) (position & mask);
        data.put(headerOffset + HEADER_LENGTH, src, src.position(), length);
        publish(headerOffset, header(STATE_COMMITTED, length) | laps(position), wakeup);
        return true;
    }

    /**
     * A little-endian view of the data area and its tail extension, which the offsets of {@link #claim(int)} and
     * {@link Record#offset()} index. Use absolute accessors only: the view is shared by every producer, and its
     * position and limit mean nothing to the ring. Each call returns a new view; producers keep theirs.
     *
     * @return a new view of the ring's memory
     */
    public ByteBuffer buffer() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------------------------------------- consumer

    /**
     * Delivers every record committed now, in reservation order, and frees their space.
     *
     * @param handler receives each record, on this thread
     * @return the number of records delivered (discarded records are skipped and not counted)
     * @throws IllegalStateException if another consumer is active
     * @throws RuntimeException whatever the handler threw: that record counts as consumed, nothing else is lost
     */
    public int consume(RecordHandler handler) {
        return consume(handler, Integer.MAX_VALUE);
    }

    /**
     * Delivers at most {@code limit} committed records, in reservation order, and frees their space (libbpf's
     * {@code ring_buffer__consume_n}).
     *
     * @param handler receives each record, on this thread
     * @param limit the most records to deliver, positive
     * @return the number of records delivered (discarded records are skipped and not counted)
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active
     */
    public int consume(RecordHandler handler, int limit) {
        checkConsumerArguments(handler, limit);
        acquireConsumer();
        try {
            return shared == null ? readRecords(handler, limit) : shared.readRecords(handler, limit);
        } finally {
            freeTo((long) WORD.get(region, READ_POSITION_OFFSET));
            releaseConsumer();
        }
    }

    /**
     * Delivers at most {@code limit} committed records after the {@link #readPosition() read position} without
     * freeing their space, for consumers that keep records beyond the handler call (Reactor's manual-release mode).
     * The handler's view is still invalid after it returns; the consumer keeps the positions and later frees the
     * space with {@link #releaseTo(long)}.
     *
     * @param handler receives each record, on this thread
     * @param limit the most records to deliver, positive
     * @return the number of records delivered
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active
     */
    public int read(RecordHandler handler, int limit) {
        checkConsumerArguments(handler, limit);
        acquireConsumer();
        try {
            return shared == null ? readRecords(handler, limit) : shared.readRecords(handler, limit);
        } finally {
            releaseConsumer();
        }
    }

    /**
     * Frees the space of records already {@link #read read}: the consumer position becomes {@code position}.
     *
     * @param position a record boundary between the consumer position and the read position
     * @throws IllegalArgumentException if {@code position} is outside that range or not a multiple of 8
     * @throws IllegalStateException if another consumer is active
     */
    public void releaseTo(long position) {
        acquireConsumer();
        try {
            final long consumerPosition = (long) WORD.get(region, CONSUMER_POSITION_OFFSET);
            final long readPosition = (long) WORD.get(region, READ_POSITION_OFFSET);
            if (position < consumerPosition || position > readPosition) {
                throw new IllegalArgumentException("position " + position + " must be between the consumer position "
                        + consumerPosition + " and the read position " + readPosition);
            }
            // Every record boundary is 8-aligned; an unaligned position would zero part of a record still held.
            // (An aligned position inside a record is not detected: that would need a walk over the headers.)
            if ((position & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
                throw new IllegalArgumentException("position " + position + " is not a record boundary: record "
                        + "positions are a multiple of 8");
            }
            freeTo(position);
        } finally {
            releaseConsumer();
        }
    }

    private static void checkConsumerArguments(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit + " must be positive");
        }
    }

    /** The consumer loop: reads from the read position, publishes it. Call with the consumer guard held. */
    private int readRecords(RecordHandler handler, int limit) {
        final ByteBuffer region = this.region;
        final ByteBuffer data = this.data;
        final int mask = this.mask;
        final RecordView view = this.view;
        // Plain reads of words only this consumer writes; the guard's CAS orders them after the previous consumer's.
        final long start = (long) WORD.get(region, READ_POSITION_OFFSET);
        long position = start;
        long recheckedAt = -1;
        int delivered = 0;
        long discarded = 0;
        try {
            while (delivered < limit) {
                final int headerOffset = (int) (position & mask);
                // Acquire pairs with the producer's release of the header: its payload is visible once we see it.
                final long header = (long) WORD.getAcquire(data, headerOffset);
                final int state = state(header);
                if (state == STATE_COMMITTED) {
                    final int length = length(header);
                    view.point(position);
                    // Advance first: a handler that throws has consumed its record, and nothing else.
                    position += recordLength(length);
                    delivered++;
                    try {
                        handler.onRecord(view);
                    } finally {
                        view.end();
                    }
                } else if (state == STATE_DISCARDED) {
                    position += recordLength(length(header));
                    discarded++;
                } else if (state == STATE_BUSY || state == STATE_FREE) {
                    if (recheckedAt == position) {
                        break; // head of line: the record's producer has not committed it, and will wake us
                    }
                    // About to stop at a record a producer still holds. Publish how far we read, then fence and look
                    // once more: the other half of the StoreLoad pair in publish(). Either we see the commit now, or
                    // the committing producer sees that we caught up and wakes us. A poll that read nothing skips
                    // the store: the word already holds this position, stored before this fence (by an earlier call
                    // of this consumer, or of the previous one, ordered by the guard), and not storing keeps the line
                    // that DEFAULT commits read from ping-ponging while the consumer spins on an empty ring.
                    if (position != start) {
                        WORD.setRelease(region, READ_POSITION_OFFSET, position);
                    }
                    VarHandle.fullFence();
                    recheckedAt = position;
                } else {
                    throw new IllegalStateException("ring '" + name + "' is corrupted: record header at position "
                            + position + " has invalid state " + state);
                }
            }
        } finally {
            // Release: the records read so far are ours; producers compare their position to it (DEFAULT wakeups).
            // Nothing to store after a poll that read nothing (see above).
            if (position != start) {
                WORD.setRelease(region, READ_POSITION_OFFSET, position);
            }
            // Counters are single-writer (the consumer); opaque makes the 64-bit stores visible untorn to readers.
            if (delivered != 0) {
                WORD.setOpaque(region, CONSUMED_COUNT_OFFSET,
                        (long) WORD.get(region, CONSUMED_COUNT_OFFSET) + delivered);
            }
            if (discarded != 0) {
                WORD.setOpaque(region, DISCARDED_COUNT_OFFSET,
                        (long) WORD.get(region, DISCARDED_COUNT_OFFSET) + discarded);
            }
        }
        return delivered;
    }

    /** Zeroes the space up to {@code position} and gives it back to producers. Call with the consumer guard held. */
    void freeTo(long position) {
        final long consumerPosition = (long) WORD.get(region, CONSUMER_POSITION_OFFSET);
        if (position == consumerPosition) {
            return;
        }
        if (shared != null) {
            shared.beginFree(position); // fenced-off check, and a note for a successor if we die while zeroing
        }
        final int from = (int) (consumerPosition & mask);
        final int to = (int) (position & mask);
        if (from < to) {
            zero(from, to - from);
        } else {
            // Wrapped. A record that crossed the end lives in the tail extension, which no header ever reads, so
            // only the data area needs zeroes: the part of [from, capacity) and [0, to).
            zero(from, capacity - from);
            zero(0, to);
        }
        // Release: the zeroes above happen-before any producer that acquires this position writes into the space.
        WORD.setRelease(region, CONSUMER_POSITION_OFFSET, position);
        if (shared != null) {
            shared.consumerPositionPublished(position);
        }
    }

    private void zero(int offset, int length) {
        final ByteBuffer data = this.data;
        int done = 0;
        while (done < length) {
            final int chunk = Math.min(ZEROES.length, length - done);
            data.put(offset + done, ZEROES, 0, chunk);
            done += chunk;
        }
    }

    private void acquireConsumer() {
        if (shared != null) {
            shared.acquireConsumer();
            return;
        }
        if (!consumerGuard.tryAcquire()) {
            throw new IllegalStateException("ring '" + name + "' already has an active consumer: a ring has a single "
                    + "consumer, and consume, read, releaseTo and awaitData must not run concurrently");
        }
    }

    private void releaseConsumer() {
        if (shared != null) {
            shared.releaseConsumer();
            return;
        }
        consumerGuard.release();
    }

    /**
     * Blocks until a record can be consumed, the timeout elapses, or the ring is closed and drained. Never loses a
     * wakeup: a record committed with {@link Wakeup#DEFAULT} or {@link Wakeup#FORCE} after the consumer caught up
     * ends the wait. Records committed with {@link Wakeup#NONE} are seen only when something else wakes the
     * consumer, or when the wait times out.
     *
     * @param timeout the longest wait
     * @return {@code true} if a committed (or discarded) record is ready at the read position, {@code false} on
     *     timeout or when the ring is closed and every reserved record has been read
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if another consumer is active
     */
    public boolean awaitData(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        return awaitData(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Blocks until a record can be consumed, the timeout elapses, or the ring is closed and drained.
     *
     * @param timeout the longest wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if a record is ready, {@code false} on timeout or when the ring is closed and drained
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if another consumer is active
     * @see #awaitData(Duration)
     */
    public boolean awaitData(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit must not be null");
        // Clamped at zero: a negative timeout means "do not wait". Unclamped, a huge negative one (Long.MIN_VALUE ns)
        // makes nanoTime + timeout wrap around, and deadline - nanoTime becomes a wait of centuries.
        final long deadline = System.nanoTime() + Math.max(0L, unit.toNanos(timeout));
        acquireConsumer();
        try {
            if (shared != null) {
                return shared.awaitData(deadline);
            }
            for (;;) {
                if (isRecordReady()) {
                    return true;
                }
                if (isClosedAndDrained()) {
                    return false;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                waiter = Thread.currentThread();
                // StoreLoad: publish ourselves as the waiter before the last look at the header, the consumer's half
                // of the Dekker pair with publish(): either we see the commit, or its producer sees us and unparks.
                VarHandle.fullFence();
                try {
                    if (isRecordReady() || isClosedAndDrained()) {
                        continue;
                    }
                    LockSupport.parkNanos(this, remaining);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for records of ring '" + name + "'");
                    }
                } finally {
                    waiter = null;
                }
            }
        } finally {
            releaseConsumer();
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Whether the record at the read position is committed or discarded, so that the next consume makes progress.
     *
     * @return {@code true} if the consumer has something to do
     */
    public boolean isRecordReady() {
        final long position = (long) WORD.getAcquire(region, READ_POSITION_OFFSET);
        final int state = state((long) WORD.getAcquire(data, (int) (position & mask)) & ~tagMask);
        return state == STATE_COMMITTED || state == STATE_DISCARDED;
    }

    /**
     * Plugs a listener into the ring's wakeups (at most one; the Reactor drain is one). It runs on producer threads.
     *
     * @param listener the listener, or {@code null} to remove the current one
     * @return the previous listener, or {@code null}
     */
    public WakeupListener setWakeupListener(WakeupListener listener) {
        final WakeupListener previous = wakeupListener;
        wakeupListener = listener;
        if (shared != null) {
            shared.listenerChanged(listener);
        }
        return previous;
    }

    /** The data area and mask, for record views (see {@link Record#bind(RingBuffer, long)}). */
    RecordMemory recordMemory() {
        return recordMemory;
    }

    // ----------------------------------------------------------------------------------------------------- query

    /**
     * The ring's name, used in messages and as the {@code ring} tag of its metrics.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Bytes of the data area: a power of two.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The largest payload a record may have.
     *
     * @return bytes
     */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * Bytes between the consumer and the producer position: records committed, busy, discarded, and read but not
     * yet released.
     *
     * @return {@code producerPosition() - consumerPosition()}, never negative
     */
    public long availableData() {
        // Consumer first: both only grow, so a producer position read after it is never smaller.
        final long consumer = consumerPosition();
        return producerPosition() - consumer;
    }

    /**
     * End of the last record whose space the consumer freed.
     *
     * @return the consumer position in bytes
     */
    public long consumerPosition() {
        return (long) WORD.getAcquire(region, CONSUMER_POSITION_OFFSET);
    }

    /**
     * End of the last record the consumer has read: equal to {@link #consumerPosition()} except while records read
     * with {@link #read} are not yet released.
     *
     * @return the read position in bytes
     */
    public long readPosition() {
        return (long) WORD.getAcquire(region, READ_POSITION_OFFSET);
    }

    /**
     * End of the last reservation.
     *
     * @return the producer position in bytes
     */
    public long producerPosition() {
        return (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
    }

    /**
     * Records delivered to a consumer so far (a handler that threw counts).
     *
     * @return the cumulative count
     */
    public long consumedRecords() {
        return (long) WORD.getOpaque(region, CONSUMED_COUNT_OFFSET);
    }

    /**
     * Discarded records the consumer has passed so far.
     *
     * @return the cumulative count
     */
    public long discardedRecords() {
        return (long) WORD.getOpaque(region, DISCARDED_COUNT_OFFSET);
    }

    /**
     * The file a ring file is mapped from ({@link RingBufferBuilder#file(java.nio.file.Path)}); empty for an
     * in-process ring.
     *
     * @return the file, if any
     */
    public java.util.Optional<java.nio.file.Path> file() {
        return shared == null ? java.util.Optional.empty() : java.util.Optional.of(shared.path());
    }

    /**
     * Busy records the consumer abandoned because their producer did not commit them within the stall timeout: only a
     * ring file ({@link RingBufferBuilder#file(java.nio.file.Path)}) abandons records, so it is 0 in-process. Persisted
     * in the file, so it survives consumer restarts. The {@code ringbuf.records.abandoned} metric.
     *
     * @return the cumulative count
     */
    public long abandonedRecords() {
        return shared == null ? 0 : shared.abandonedRecords();
    }

    /**
     * Records dropped for {@code reason} so far.
     *
     * @param reason why
     * @return the cumulative count
     */
    public long droppedRecords(DropReason reason) {
        switch (Objects.requireNonNull(reason, "reason must not be null")) {
            case FULL:
                return droppedFull.sum();
            case CLOSED:
                return droppedClosed.sum();
            case OVERSIZE:
                return droppedOversize.sum();
            default:
                throw new AssertionError(reason);
        }
    }

    /**
     * Records dropped for any reason so far.
     *
     * @return the cumulative count
     */
    public long droppedRecords() {
        return droppedFull.sum() + droppedClosed.sum() + droppedOversize.sum();
    }

    /**
     * Wakeups producers have sent so far (one per commit or discard that decided to wake).
     *
     * @return the cumulative count
     */
    public long wakeups() {
        return wakeups.sum();
    }

    // ------------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes the ring to producers: every later reservation fails and is counted with reason
     * {@link DropReason#CLOSED closed}. Reservations made before stay valid and may still be committed; committed
     * records are still delivered. Wakes the consumer so that it can see the end. Idempotent.
     */
    @Override
    public void close() {
        final long before = (long) WORD.getAndBitwiseOr(region, PRODUCER_POSITION_OFFSET, CLOSED_BIT);
        if (before < 0) {
            return;
        }
        VarHandle.fullFence(); // the closed bit before the waiter and listener reads, as in publish()
        if (shared != null) {
            shared.ringDoorbellAlways(); // a consumer in another process sees the end
        }
        signalConsumer(); // not counted as a wakeup: wakeups() counts producers' commit and discard decisions
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) < 0;
    }

    /**
     * Whether the ring is closed and the consumer has read every record reserved before: nothing more will ever be
     * delivered.
     *
     * @return {@code true} at the end of the stream
     */
    public boolean isClosedAndDrained() {
        final long producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET);
        return producer < 0 && (long) WORD.getAcquire(region, READ_POSITION_OFFSET) == (producer & ~CLOSED_BIT);
    }

    @Override
    public String toString() {
        return "RingBuffer[name=" + name + ", capacity=" + capacity + ", maxRecordSize=" + maxRecordSize
                + ", consumerPosition=" + consumerPosition() + ", producerPosition=" + producerPosition()
                + (isClosed() ? ", closed" : "") + "]";
    }
}
