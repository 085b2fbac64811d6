package dev.ringbuf.core;

import static dev.ringbuf.core.RecordDescriptor.HEADER_LENGTH;
import static dev.ringbuf.core.RecordDescriptor.STATE_BUSY;
import static dev.ringbuf.core.RecordDescriptor.STATE_COMMITTED;
import static dev.ringbuf.core.RecordDescriptor.STATE_DISCARDED;
import static dev.ringbuf.core.RecordDescriptor.header;
import static dev.ringbuf.core.RecordDescriptor.length;
import static dev.ringbuf.core.RecordDescriptor.recordLength;
import static dev.ringbuf.core.RingDescriptor.ABANDONED_COUNT_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CLOSED_BIT;
import static dev.ringbuf.core.RingDescriptor.CONSUMED_COUNT_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_GUARD_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.CONSUMER_WAITING_OFFSET;
import static dev.ringbuf.core.RingDescriptor.DISCARDED_COUNT_OFFSET;
import static dev.ringbuf.core.RingDescriptor.DOORBELL_OFFSET;
import static dev.ringbuf.core.RingDescriptor.FREEING_TO_OFFSET;
import static dev.ringbuf.core.RingDescriptor.LAST_CONSUMER_OFFSET;
import static dev.ringbuf.core.RingDescriptor.PRODUCER_POSITION_OFFSET;
import static dev.ringbuf.core.RingDescriptor.READ_POSITION_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The cross-process half of a {@link RingBuffer} whose region is a memory-mapped ring file: what an in-process
 * ring does with per-process objects (the consumer guard, parking, the wakeup listener) redone with words in the
 * file, plus the fault handling that only a ring shared with other processes needs. See
 * {@code docs/shared-memory.md} for the protocol; the comments here name the race each step prevents.
 *
 * <ul>
 *   <li>Record headers carry a {@link LapTag}; producers commit with a CAS from their own busy header, so a producer
 *       whose record was abandoned learns it at commit and never overwrites a newer record.</li>
 *   <li>The consumer guard holds a {@link ConsumerToken}: a consumer process that died holding it is replaced.</li>
 *   <li>The consumer abandons a record that stays busy (or claimed but unwritten) for the stall timeout.</li>
 *   <li>Producers validate every consumer position they read from the file (CVE-2024-41009), and check that the
 *       space they claim is really free (zero) before writing into it.</li>
 *   <li>Waiting is an adaptive idle loop (spin, yield, park with backoff), and wakeups reach another process through
 *       a doorbell word, rung only while a consumer-side waiter has published itself.</li>
 * </ul>
 */
final class SharedRegion {

    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bit of {@link RingDescriptor#CONSUMER_WAITING_OFFSET}: a thread is in awaitData. */
    static final long WAITING_AWAIT = 1;
    /** Bit of {@link RingDescriptor#CONSUMER_WAITING_OFFSET}: a wakeup watcher is running. */
    static final long WAITING_WATCHER = 2;

    /** Idle strategy: busy spins before yielding. */
    static final int IDLE_SPINS = 200;
    /** Idle strategy: yields before parking. */
    static final int IDLE_YIELDS = 50;
    /** Idle strategy: first park. */
    static final long MIN_PARK_NANOS = 1_000;
    /** Idle strategy: the park bound, and so the worst-case wakeup latency of an idle consumer. */
    static final long MAX_PARK_NANOS = 1_000_000;

    private final RingBuffer ring;
    private final Path path;
    private final ByteBuffer region;
    private final ByteBuffer data;
    private final int capacity;
    private final int mask;
    private final int capacityShift;
    private final int maxRecordSize;
    private final long stallTimeoutNanos;
    private final RecordView view;
    private final long token = ConsumerToken.current();
    /** Tells this ring object from others in the same process (they share the token). */
    private final long instance = java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1;

    // Stall tracking, consumer only (guard held): the header seen at a position, and since when.
    private long stallPosition = -1;
    private long stallHeader;
    private long stallSince;
    /** The consumer position this process last published, or -1: a different value in the file is corruption. */
    private long publishedConsumerPosition = -1;

    private final Object watcherLock = new Object();
    private DoorbellWatcher watcher;

    SharedRegion(RingBuffer ring, Path path, ByteBuffer region, ByteBuffer data, int capacity, int maxRecordSize,
            long stallTimeoutNanos) {
        this.ring = ring;
        this.path = path;
        this.region = region;
        this.data = data;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.maxRecordSize = maxRecordSize;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.view = new RecordView(ring.recordMemory()); // assigned before the ring constructs this
    }

    Path path() {
        return path;
    }

    private IllegalStateException corrupted(String what) {
        return new IllegalStateException("ring file " + path + " is corrupted: " + what);
    }

    private long tag(long position) {
        return LapTag.of(position, capacityShift);
    }

    // ---------------------------------------------------------------------------------------------- producers

    /**
     * Validates a consumer position a producer read from the file before it trusts it (CVE-2024-41009: a consumer
     * position that user space could corrupt let the kernel's producers overrun busy records).
     *
     * @param before the producer position, read with acquire before {@code consumer}
     * @param consumer the consumer position
     * @throws IllegalStateException if it is misaligned, beyond the producer position or more than a lap behind
     */
    void checkConsumerPosition(long before, long consumer) {
        // Acquire: ordered after the consumer position, so a legitimate one is never beyond it.
        final long after = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
        // Legitimately before - (C - 1) <= consumer <= after: the reservation that made `before` saw a consumer
        // position at least that large, and the consumer never passes the producer.
        if ((consumer & (RecordDescriptor.ALIGNMENT - 1)) != 0 || consumer > after
                || consumer < (before & ~CLOSED_BIT) - (capacity - 1)) {
            throw corrupted("consumer position " + consumer + " is impossible for producer position " + after
                    + " and capacity " + capacity + " (it must be 8-aligned, at most the producer position and less "
                    + "than a capacity behind it); refusing to reserve so that no unconsumed record is overwritten");
        }
    }

    /**
     * Checks, before a producer claims {@code [position, position + recordLength)}, that the space is free: the
     * consumer zeroes what it frees, so a non-zero word there means the consumer position said "free" for space that
     * still holds a record (the CVE-2024-41009 shape: a consumer position moved ahead, aligned and not beyond the
     * producer, passes every check on its value). Checked before the position CAS, so a refused claim changes
     * nothing in the ring.
     *
     * @param position the producer position the claim would start at
     * @param recordLength the record's length in the ring
     * @return {@code true} if free; {@code false} if {@code position} is stale (another producer claimed it: retry)
     * @throws IllegalStateException if the space is not free although nobody claimed it
     */
    boolean isClaimable(long position, long recordLength) {
        final int offset = (int) (position & mask);
        // The part inside the data area, and the part a wrapped record accounts at its start. The tail extension is
        // never zeroed and never holds a header, so it is not checked.
        final int first = (int) Math.min(recordLength, capacity - offset);
        for (int i = 0; i < recordLength; i += 8) {
            final int at = i < first ? offset + i : i - first;
            // Acquire: a non-zero word written by a producer that claimed this space is ordered before our re-read
            // of the producer position below, so a stale position is never mistaken for corruption.
            final long word = (long) WORD.getAcquire(data, at);
            if (word != 0) {
                if (((long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT) != position) {
                    return false;
                }
                throw overrun(position, position + i, word);
            }
        }
        return true;
    }

    private IllegalStateException overrun(long position, long at, long word) {
        return corrupted("the space reserved at position " + position + " is not free (word 0x"
                + Long.toHexString(word) + " at position " + at + "): the consumer position "
                + ring.consumerPosition() + " claims space that still holds a record; nothing was written");
    }

    /**
     * A ring file producer's busy header, right after its position CAS: a CAS from zero rather than a store, because
     * a consumer that saw this claim unwritten for the whole stall timeout may have covered it with a discarded
     * padding record already; then the claim is the consumer's, and this producer must not write into it.
     *
     * @param headerOffset the header's offset in the data area
     * @param busy the busy header (tagged)
     * @param position the record's position, for the message
     * @throws IllegalStateException if the consumer abandoned the claim
     */
    void writeBusyHeader(int headerOffset, long busy, long position) {
        // Volatile CAS, stronger than the opaque store of an in-process ring; serialises with the consumer's padding.
        if (!WORD.compareAndSet(data, headerOffset, 0L, busy)) {
            throw new IllegalStateException("reservation at position " + position + " of ring file " + path
                    + " was abandoned by the consumer before its header was written (the producer stalled for more "
                    + "than the stall timeout of " + stallTimeoutNanos / 1_000_000 + " ms); nothing was written");
        }
    }

    /**
     * A producer's commit or discard: a CAS from its own busy header (tag included), so that a record the consumer
     * abandoned in the meantime is never overwritten (nor, a lap later, a newer record at the same offset).
     *
     * @param headerOffset the header's offset in the data area
     * @param header the final header (tagged)
     * @throws IllegalStateException if the record is no longer this producer's busy record
     */
    void publishHeader(int headerOffset, long header) {
        final long busy = (header & ~(((long) LapTag.STATE_MASK) << 32)) | ((long) STATE_BUSY << 32);
        // Volatile CAS (includes release): the payload written before it is visible to the consumer that reads this
        // header with acquire, exactly like the in-process setRelease.
        final long witness = (long) WORD.compareAndExchange(data, headerOffset, busy, header);
        if (witness != busy) {
            throw new IllegalStateException("record at offset " + (headerOffset + HEADER_LENGTH) + " of ring file "
                    + path + " is no longer a live reservation (header 0x" + Long.toHexString(witness)
                    + "): the consumer abandoned it after the stall timeout of " + stallTimeoutNanos / 1_000_000
                    + " ms, or it was committed or discarded twice; nothing was written");
        }
    }

    /** A producer decided to wake the consumer: ring the doorbell if a consumer-side waiter is listening. */
    void ringDoorbell() {
        // Opaque: the caller's full fence already ordered our header before this read (the Dekker pair with the
        // waiter's flag-store, fence, header-read).
        if ((long) WORD.getOpaque(region, CONSUMER_WAITING_OFFSET) != 0) {
            WORD.getAndAdd(region, DOORBELL_OFFSET, 1L);
        }
    }

    /** close(): ring unconditionally, so that a watcher sees the end. */
    void ringDoorbellAlways() {
        WORD.getAndAdd(region, DOORBELL_OFFSET, 1L);
    }

    // ----------------------------------------------------------------------------------------------- consumer

    /**
     * Takes the consumer guard for this process, replacing an owner process that died, and validates the consumer
     * positions before they are used (a corrupted consumer position must not make the consumer zero live space).
     *
     * @throws IllegalStateException if another live consumer holds it, or the positions are impossible
     */
    void acquireConsumer() {
        long owner = (long) WORD.getVolatile(region, CONSUMER_GUARD_OFFSET);
        for (;;) {
            if (owner == 0) {
                // CAS (volatile): everything the previous consumer wrote is visible to us.
                final long witness = (long) WORD.compareAndExchange(region, CONSUMER_GUARD_OFFSET, 0L, token);
                if (witness == 0) {
                    break;
                }
                owner = witness;
            } else if (owner != token && !ConsumerToken.isAlive(owner)) {
                // The owner process is gone: take over. It may have died with records read but not released, so
                // resume from the persisted consumer position (at-least-once for those).
                final long witness = (long) WORD.compareAndExchange(region, CONSUMER_GUARD_OFFSET, owner, token);
                if (witness == owner) {
                    noteConsumer();
                    takeOver();
                    return;
                }
                owner = witness;
            } else {
                throw new IllegalStateException("ring file " + path + " already has an active consumer ("
                        + ConsumerToken.describe(owner) + (owner == token ? ", this process" : "")
                        + "): a ring has a single consumer, and consume, read, releaseTo and awaitData must not run "
                        + "concurrently");
            }
        }
        noteConsumer();
        try {
            final long consumer = (long) WORD.get(region, CONSUMER_POSITION_OFFSET);
            if (publishedConsumerPosition >= 0 && consumer != publishedConsumerPosition) {
                throw corrupted("consumer position " + consumer + " was changed behind the consumer's back (it last "
                        + "published " + publishedConsumerPosition + ")");
            }
            validateConsumerPositions(consumer, (long) WORD.get(region, READ_POSITION_OFFSET));
            publishedConsumerPosition = consumer;
        } catch (RuntimeException e) {
            releaseConsumer();
            throw e;
        }
    }

    /** Guard held: if another ring object consumed since our last call, its position moves were legitimate. */
    private void noteConsumer() {
        if ((long) WORD.get(region, LAST_CONSUMER_OFFSET) != instance) {
            publishedConsumerPosition = -1;
            resetStall();
            // Opaque under the guard; the guard's release CAS publishes it to the next consumer.
            WORD.setOpaque(region, LAST_CONSUMER_OFFSET, instance);
        }
    }

    /** Guard just taken from a dead owner: finish its zeroing, then resume from the persisted consumer position. */
    private void takeOver() {
        try {
            long consumer = (long) WORD.getVolatile(region, CONSUMER_POSITION_OFFSET);
            final long read = (long) WORD.getVolatile(region, READ_POSITION_OFFSET);
            validateConsumerPositions(consumer, read);
            final long freeing = (long) WORD.getVolatile(region, FREEING_TO_OFFSET);
            publishedConsumerPosition = consumer;
            if (freeing > consumer && freeing <= read && (freeing & (RecordDescriptor.ALIGNMENT - 1)) == 0) {
                // It died while zeroing [consumer, freeing): records it had consumed. Finish and publish.
                ring.freeTo(freeing);
                consumer = freeing;
            }
            // Records it read but had not freed are delivered again: at-least-once across a consumer's death.
            WORD.setRelease(region, READ_POSITION_OFFSET, consumer);
            publishedConsumerPosition = consumer;
            resetStall();
        } catch (RuntimeException e) {
            releaseConsumer();
            throw e;
        }
    }

    private void validateConsumerPositions(long consumer, long read) {
        final long producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
        if (((consumer | read) & (RecordDescriptor.ALIGNMENT - 1)) != 0 || consumer > read || read > producer
                || producer - consumer > capacity) {
            // At most a capacity apart, not capacity - 8: producers that trusted a consumer position that was moved
            // ahead may have filled the ring to exactly a capacity, which still overlaps nothing.
            throw corrupted("consumer position " + consumer + " and read position " + read
                    + " are impossible for producer position " + producer + " and capacity " + capacity
                    + " (rule: 8-aligned, consumer <= read <= producer, producer - consumer <= capacity)");
        }
    }

    /**
     * Gives the guard back; a consumer that finds someone else's token there was fenced off.
     *
     * @throws IllegalStateException if another process took the guard over
     */
    void releaseConsumer() {
        final long witness = (long) WORD.compareAndExchange(region, CONSUMER_GUARD_OFFSET, token, 0L);
        if (witness != token) {
            publishedConsumerPosition = -1;
            throw new IllegalStateException("the consumer of ring file " + path + " was fenced off: "
                    + ConsumerToken.describe(witness) + " took over while it was consuming");
        }
    }

    /**
     * Before the consumer zeroes {@code [consumer position, position)}: checks it still owns the ring, and notes the
     * target, so that a successor can finish the zeroing if this process dies half-way.
     *
     * @param position the new consumer position
     * @throws IllegalStateException if this consumer was fenced off
     */
    void beginFree(long position) {
        checkStillOwner();
        // Volatile (a full fence on the way out): the note is in memory before the first zero is, so a successor
        // never finds half-zeroed records without it.
        WORD.setVolatile(region, FREEING_TO_OFFSET, position);
    }

    /**
     * Throws if another process took the guard over (checked before the consumer zeroes and publishes).
     *
     * @throws IllegalStateException if this consumer was fenced off
     */
    void checkStillOwner() {
        final long owner = (long) WORD.getVolatile(region, CONSUMER_GUARD_OFFSET);
        if (owner != token) {
            publishedConsumerPosition = -1;
            throw new IllegalStateException("the consumer of ring file " + path + " was fenced off: "
                    + ConsumerToken.describe(owner) + " took over while it was consuming; nothing was freed");
        }
    }

    /**
     * Called by {@link RingBuffer} after it published a new consumer position (guard held).
     *
     * @param position the new consumer position
     */
    void consumerPositionPublished(long position) {
        publishedConsumerPosition = position;
    }

    /**
     * The cross-process consumer loop: like the in-process one, plus tag and bounds checks on every header and the
     * abandonment of stalled records. Call with the guard held.
     */
    int readRecords(RecordHandler handler, int limit) {
        long position = (long) WORD.get(region, READ_POSITION_OFFSET);
        long producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
        long recheckedAt = -1;
        int delivered = 0;
        long discarded = 0;
        long abandoned = 0;
        try {
            while (delivered < limit) {
                final int headerOffset = (int) (position & mask);
                // Acquire pairs with the producer's CAS of the header: its payload is visible once we see it.
                final long header = (long) WORD.getAcquire(data, headerOffset);
                final int state = LapTag.state(header);
                if (header == 0 || state == STATE_BUSY) {
                    if (header != 0) {
                        checkHeader(header, position, producer);
                    }
                    if (recheckedAt != position) {
                        // As in-process: publish how far we read, fence, look again (no lost wakeup).
                        WORD.setRelease(region, READ_POSITION_OFFSET, position);
                        VarHandle.fullFence();
                        recheckedAt = position;
                        producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
                        continue;
                    }
                    final long skipped = abandonIfStalled(position, header);
                    if (skipped == 0) {
                        break; // head of line, not (yet) stalled for the timeout
                    }
                    if (skipped > 0) {
                        position += skipped;
                        abandoned++;
                    }
                    continue; // skipped < 0: the header changed under us, look again
                }
                if (position >= producer) {
                    producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
                }
                checkHeader(header, position, producer);
                resetStall();
                if (state == STATE_COMMITTED) {
                    final int length = length(header);
                    view.point(position);
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
                } else {
                    throw corrupted("record header 0x" + Long.toHexString(header) + " at position " + position
                            + " has invalid state " + state);
                }
            }
        } finally {
            WORD.setRelease(region, READ_POSITION_OFFSET, position);
            WORD.setOpaque(region, CONSUMED_COUNT_OFFSET, (long) WORD.get(region, CONSUMED_COUNT_OFFSET) + delivered);
            if (discarded != 0) {
                WORD.setOpaque(region, DISCARDED_COUNT_OFFSET,
                        (long) WORD.get(region, DISCARDED_COUNT_OFFSET) + discarded);
            }
            if (abandoned != 0) {
                WORD.setOpaque(region, ABANDONED_COUNT_OFFSET,
                        (long) WORD.get(region, ABANDONED_COUNT_OFFSET) + abandoned);
            }
        }
        return delivered;
    }

    /** A non-zero header at {@code position} must carry its lap tag and describe a record inside the reserved bytes. */
    private void checkHeader(long header, long position, long producer) {
        final int state = LapTag.state(header);
        final long length = length(header) & 0xFFFF_FFFFL;
        // A discarded record may be padding the consumer wrote over an abandoned claim: up to the producer position.
        final long limit = state == STATE_DISCARDED ? capacity - HEADER_LENGTH : maxRecordSize;
        final long end = position + recordLength((int) Math.min(length, limit));
        if (state != STATE_BUSY && end > producer) {
            producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT; // may have moved on
        }
        if ((header & LapTag.MASK) != tag(position) || length > limit || (state != STATE_BUSY && end > producer)) {
            throw corrupted("record header 0x" + Long.toHexString(header) + " at position " + position
                    + " is impossible (expected lap tag " + (tag(position) >>> LapTag.SHIFT) + ", length at most "
                    + limit + ", record ending at most at producer position " + producer + ")");
        }
    }

    private void resetStall() {
        stallPosition = -1;
    }

    /**
     * Whether the record at {@code position}, busy (or claimed and unwritten) with {@code header}, has been so for
     * the stall timeout; starts the clock when it is seen for the first time.
     */
    private boolean stalled(long position, long header) {
        if (header == 0) {
            final long producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
            if (producer <= position) {
                resetStall(); // nothing reserved here: the consumer has simply caught up
                return false;
            }
        }
        final long now = System.nanoTime();
        if (stallPosition != position || stallHeader != header) {
            stallPosition = position;
            stallHeader = header;
            stallSince = now;
            return false;
        }
        return now - stallSince >= stallTimeoutNanos;
    }

    /**
     * Abandons the record at {@code position} if it has been stalled for the timeout.
     *
     * @return bytes to skip (> 0), 0 to wait, -1 if the header changed and must be read again
     */
    private long abandonIfStalled(long position, long header) {
        if (!stalled(position, header)) {
            return 0;
        }
        final int headerOffset = (int) (position & mask);
        final long padding;
        if (header != 0) {
            // Busy for the whole timeout: the producer died between reserve and commit (or is slower than the
            // timeout allows). CAS busy -> discarded: either we win and its later commit fails (it CASes from busy),
            // or its commit won and we read the record normally.
            padding = (header & ~(((long) LapTag.STATE_MASK) << 32)) | ((long) STATE_DISCARDED << 32);
        } else {
            // Claimed but never written: a producer died between its position CAS and its busy header. Its length
            // is unknown; the claim ends at the next non-zero word (a later record's header: producers write
            // nothing before their header, and the consumer zeroed this space) or at the producer position.
            final long producer = (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET) & ~CLOSED_BIT;
            long end = position + RecordDescriptor.ALIGNMENT;
            while (end < producer && (long) WORD.getAcquire(data, (int) (end & mask)) == 0) {
                end += RecordDescriptor.ALIGNMENT;
            }
            padding = tag(position) | header(STATE_DISCARDED, (int) (end - position - HEADER_LENGTH));
        }
        // Volatile CAS: serialises with the producer's commit CAS on the same word.
        if (!WORD.compareAndSet(data, headerOffset, header, padding)) {
            resetStall();
            return -1;
        }
        resetStall();
        return recordLength(length(padding));
    }

    /**
     * awaitData for a ring file: an adaptive idle loop, because a producer in another process cannot unpark us.
     * Spins, then yields, then parks with a backoff doubling from 1 µs to {@link #MAX_PARK_NANOS}; the bound is the
     * wakeup latency of an idle consumer. Also returns when the record at the read position has stalled for the
     * timeout, so that the next consume abandons it. Call with the guard held.
     */
    boolean awaitData(long deadline) throws InterruptedException {
        int idle = 0;
        long park = MIN_PARK_NANOS;
        boolean published = false;
        try {
            for (;;) {
                if (readyOrStalled()) {
                    return true;
                }
                if (ring.isClosedAndDrained()) {
                    return false;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                if (idle < IDLE_SPINS) {
                    idle++;
                    Thread.onSpinWait();
                } else if (idle < IDLE_SPINS + IDLE_YIELDS) {
                    idle++;
                    Thread.yield();
                } else {
                    if (!published) {
                        // Publish "a consumer waits", fence, look again: the other half of the producers' header
                        // store, fence, flag read. Producers ring the doorbell only while the flag is up.
                        WORD.getAndBitwiseOr(region, CONSUMER_WAITING_OFFSET, WAITING_AWAIT);
                        published = true;
                        continue;
                    }
                    LockSupport.parkNanos(this, Math.min(park, remaining));
                    park = Math.min(park << 1, MAX_PARK_NANOS);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for records of ring file " + path);
                    }
                }
            }
        } finally {
            if (published) {
                WORD.getAndBitwiseAnd(region, CONSUMER_WAITING_OFFSET, ~WAITING_AWAIT);
            }
        }
    }

    private boolean readyOrStalled() {
        if (ring.isRecordReady()) {
            return true;
        }
        final long position = (long) WORD.getAcquire(region, READ_POSITION_OFFSET);
        final long header = (long) WORD.getAcquire(data, (int) (position & mask));
        return (header == 0 || LapTag.state(header) == STATE_BUSY) && stalled(position, header);
    }

    /**
     * The consumer process's wakeup listener changed: (re)starts or stops the {@link DoorbellWatcher}.
     *
     * @param listener the new listener, or null to stop watching
     */
    void listenerChanged(WakeupListener listener) {
        synchronized (watcherLock) {
            if (watcher != null) {
                watcher.stop();
                watcher = null;
            }
            if (listener != null) {
                watcher = DoorbellWatcher.start(region, listener, "ringbuf-doorbell-" + ring.name());
            }
        }
    }

    /**
     * Records the consumer abandoned so far (persisted in the file).
     *
     * @return the count
     */
    long abandonedRecords() {
        return (long) WORD.getOpaque(region, ABANDONED_COUNT_OFFSET);
    }
}
