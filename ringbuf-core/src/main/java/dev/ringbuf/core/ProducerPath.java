package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.ALIGNMENT;
import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.HEADER_LENGTH;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.header;
import static dev.ringbuf.core.RingLayout.recordLength;
import static dev.ringbuf.core.RingLayout.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The producers' half of the protocol, written once for every {@link RingMode}: the reservation (one CAS on the
 * producer position, then a busy header), commit and discard, the wakeup rule, and {@code output}'s copy.
 * Thread-safe and lock-free; nothing here allocates. Overwrite mode subclasses it ({@link OverwriteProducerPath},
 * chosen when the ring is built), replacing {@link #claim} only.
 */
class ProducerPath {

    private static final VarHandle DETACHED;

    static {
        try {
            DETACHED = MethodHandles.lookup().findVarHandle(ProducerPath.class, "detached", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What {@link #claim(int)} returns when the ring has no room for the record. */
    static final long FULL = -1;
    /** What {@link #claim(int)} returns when the stream ended or this handle was closed. */
    static final long CLOSED = -2;

    final String name;
    final RingRegion region;
    private final ByteBuffer data;
    final RingMode mode;
    /** The kind's header part ({@link PlainHeaders} or {@link LapTaggedHeaders}): the per-record hooks. */
    final RingHeaders headers;
    final RingCounters counters;
    private final WakeupSignal signal;
    /** This process's producers waiting for space: while one waits, space freed is theirs first. */
    private final SpaceWaiters spaceWaiters;
    private final int capacity;
    final int mask;
    final int maxRecordSize;
    /** {@code -capacity}: a producer lead with any of these bits set is {@code >= capacity} or negative. */
    private final long fullMask;
    /** {@link RingLayout#CLOSED_BIT} once this handle is closed without ending the stream (a ring file opener). */
    @SuppressWarnings("unused") // read and written through DETACHED
    private long detached;

    ProducerPath(String name, RingRegion region, RingMode mode, RingCounters counters, WakeupSignal signal,
            SpaceWaiters spaceWaiters, int capacity, int maxRecordSize) {
        this.spaceWaiters = spaceWaiters;
        this.name = name;
        this.region = region;
        this.data = region.data;
        this.mode = mode;
        this.headers = mode.headers;
        this.counters = counters;
        this.signal = signal;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxRecordSize = maxRecordSize;
        this.fullMask = -(long) capacity;
    }

    /** This handle no longer produces: its reservations fail as {@code closed}, other handles are unaffected. */
    void detach() {
        DETACHED.setOpaque(this, CLOSED_BIT);
    }

    /**
     * The reservation algorithm.
     *
     * @return the record's position, or {@link #FULL} / {@link #CLOSED} (counted)
     */
    long claim(int size) {
        return claim(size, true);
    }

    /**
     * The reservation algorithm; {@code count}: whether a full or closed failure is counted as a drop here
     * ({@code tryClaim} leaves that to its caller, which may retry).
     */
    long claim(int size, boolean count) {
        checkSize(size);
        final RingRegion region = this.region;
        final RingHeaders headers = this.headers;
        final long recordLength = recordLength(size);
        final long maxLead = capacity - 1L;
        // Opaque: written once by close() on another thread; opaque keeps a caller's loop from hoisting the read.
        final long detached = (long) DETACHED.getOpaque(this);
        // Acquire pairs with the release in refreshConsumerCache: the consumer zeroed the space below the cached
        // position before publishing it, and our writes into that space must come after the zeroing.
        long consumerPosition = region.laConsumerCache();
        long position;
        long next;
        do {
            // Opaque is enough: the value only seeds the CAS below, which fails if it is stale.
            position = region.loProducerPosition();
            if ((position | detached) < 0) { // CLOSED_BIT, in the ring or on this handle
                if (count) {
                    counters.droppedClosed();
                }
                return CLOSED;
            }
            next = position + recordLength;
            // Same cost as `next - consumerPosition > maxLead`; a cached consumer position beyond the producer
            // (possible only in a corrupted ring file) also takes the slow path, which validates it.
            if (((next - consumerPosition) & fullMask) != 0) {
                // Waiting producers first (docs/semantics.md): while one waits, space the consumer freed since the
                // cache was refreshed is theirs, so the cache is not refreshed and this claim fails as full.
                if (spaceWaiters.anyWaiting()) {
                    if (count) {
                        counters.droppedFull();
                    }
                    return FULL;
                }
                consumerPosition = refreshConsumerCache();
                if (next - consumerPosition > maxLead) {
                    if (count) {
                        counters.droppedFull();
                    }
                    return FULL;
                }
            }
        } while (!headers.isClaimable(position, recordLength) || !region.casProducerPosition(position, next));

        // The space [position, next) is ours. Until the busy header lands it reads zero (the consumer zeroed it),
        // which the consumer treats like busy, so a consumer that sees the new producer position early stops here.
        headers.writeBusyHeader((int) (position & mask), header(STATE_BUSY, size) | headers.tag(position), position);
        return position;
    }

    /** Throws (and counts the drop, reason oversize) if {@code size} is negative or above maxRecordSize. */
    final void checkSize(int size) {
        if (size < 0 || size > maxRecordSize) {
            counters.droppedOversize();
            throw new IllegalArgumentException("record size " + size + " must be between 0 and maxRecordSize "
                    + maxRecordSize + " of ring '" + name + "'");
        }
    }

    /** {@link #claimWaiting} found the ring full: the waiter waits (nothing is counted). */
    static final long CLAIM_FULL = -1;
    /** {@link #claimWaiting} found the ring closed (or this handle detached). */
    static final long CLAIM_CLOSED = -2;

    /**
     * A woken waiter's attempt ({@link SpaceWaiter}): the reservation algorithm of {@link #claim}, but it
     * reads the consumer position itself instead of the shared cache (which non-waiting producers leave alone while
     * someone waits), takes no notice of waiters (it is one), and counts nothing: the caller counts the record
     * once, when it gives up.
     *
     * @return the record's position, {@link #CLAIM_FULL} or {@link #CLAIM_CLOSED}
     */
    long claimWaiting(int size) {
        checkSize(size);
        final long recordLength = recordLength(size);
        final long detached = (long) DETACHED.getOpaque(this);
        long position;
        long next;
        do {
            // Acquire, producer first, as in refreshConsumerCache (ring files validate the consumer position).
            position = region.laProducerPosition();
            if ((position | detached) < 0) {
                return CLAIM_CLOSED;
            }
            next = position + recordLength;
            // Acquire pairs with the consumer's release of its position, after it zeroed the space it freed.
            final long consumerPosition = region.laConsumerPosition();
            mode.checkConsumerPosition(position, consumerPosition);
            if (next - consumerPosition > capacity - 1L) {
                return CLAIM_FULL;
            }
        } while (!headers.isClaimable(position, recordLength) || !region.casProducerPosition(position, next));
        headers.writeBusyHeader((int) (position & mask), header(STATE_BUSY, size) | headers.tag(position), position);
        return position;
    }

    /** Copies {@code length} bytes of {@code src} into the record claimed at {@code position} and commits it. */
    void commitCopy(long position, byte[] src, int srcOffset, int length, Wakeup wakeup) {
        final int headerOffset = (int) (position & mask);
        data.put(headerOffset + HEADER_LENGTH, src, srcOffset, length);
        publish(headerOffset, header(STATE_COMMITTED, length) | headers.tag(position), wakeup);
    }

    private long refreshConsumerCache() {
        // Acquire, producer first: a producer position read before the consumer position bounds what a legitimate
        // consumer position can be (ring files validate it).
        final long before = region.laProducerPosition();
        // Acquire pairs with the consumer's release of its position, after it zeroed the space it freed.
        final long consumerPosition = region.laConsumerPosition();
        mode.checkConsumerPosition(before, consumerPosition);
        // Release passes that happens-before edge on to the producers that acquire the cache. A racing producer may
        // store an older value over a newer one: harmless, an old consumer position is only pessimistic.
        region.srConsumerCache(consumerPosition);
        return consumerPosition;
    }

    /** Payload offset in the data area of a record at {@code position}. */
    int payloadOffset(long position) {
        return (int) (position & mask) + HEADER_LENGTH;
    }

    /** The tagged header of a finished record at {@code position}. */
    long finishedHeader(long position, int state, int length) {
        return header(state, length) | headers.tag(position);
    }

    /** Whether reservations check {@link #checkReserved} before each write (ring files). */
    boolean checksReservations() {
        return headers.checksReservations();
    }

    /** Before a write into the reservation at {@code position}: throws if the consumer abandoned it (ring files). */
    void checkReserved(long position, int length) {
        headers.checkReserved((int) (position & mask), header(STATE_BUSY, length) | headers.tag(position), position);
    }

    /** Commit or discard on the offset API: checks that the offset is a live reservation first. */
    void finish(int offset, int state, Wakeup wakeup) {
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        final int headerOffset = offset - HEADER_LENGTH;
        if (headerOffset < 0 || headerOffset >= capacity || (headerOffset & (ALIGNMENT - 1)) != 0) {
            throw new IllegalStateException("offset " + offset + " is not a live reservation of ring '" + name
                    + "': a record offset is 8-byte aligned and between 8 and " + capacity);
        }
        // Our own busy header (program order), unless the offset is not ours.
        final long header = region.loHeader(headerOffset);
        if (state(header) != STATE_BUSY) {
            throw new IllegalStateException("offset " + offset + " is not a live reservation of ring '" + name
                    + "': its record is " + RingLayout.stateName(state(header))
                    + " (committed or discarded twice, or never claimed)");
        }
        publish(headerOffset, RingLayout.withState(header, state), wakeup);
    }

    /** Commits or discards the record whose header is at {@code headerOffset}, then applies the wakeup policy. */
    void publish(int headerOffset, long header, Wakeup wakeup) {
        headers.publishHeader(headerOffset, header);
        if (wakeup == Wakeup.NONE) {
            return;
        }
        // StoreLoad, the race a lost wakeup needs: the consumer publishes its read position, fences, then re-reads
        // our header before it sleeps (ConsumerPath.read, WakeupSignal.await); we publish the header, fence, then
        // read its position (and its waiter). Without a fence on both sides each could read the other's old value:
        // the consumer sleeps on a busy header, we see it "not caught up", and the record waits forever. The kernel
        // gets the same fence from xchg.
        VarHandle.fullFence();
        if (wakeup == Wakeup.FORCE) {
            wake();
            return;
        }
        // DEFAULT: wake only if the consumer had caught up to this very record: its read position is this record's.
        // Comparing offsets is exact while the record is unconsumed (the consumer cannot pass a busy record and is
        // less than a lap behind); if it was consumed meanwhile and the consumer went a whole lap further, the
        // wakeup is spurious, never lost.
        if ((int) (region.loReadPosition() & mask) == headerOffset) {
            wake();
        }
    }

    private void wake() {
        counters.wakeup();
        mode.ringDoorbell();
        signal.signal();
    }

    /** {@code output}: reserve, copy, commit. */
    boolean output(byte[] src, int srcOffset, int length, Wakeup wakeup) {
        Objects.requireNonNull(src, "src must not be null");
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        final long position = claim(length);
        if (position < 0) {
            return false;
        }
        final int headerOffset = (int) (position & mask);
        data.put(headerOffset + HEADER_LENGTH, src, srcOffset, length);
        publish(headerOffset, header(STATE_COMMITTED, length) | headers.tag(position), wakeup);
        return true;
    }

    /** {@code output} of a buffer's remaining bytes; its position and limit are left as they are. */
    boolean output(ByteBuffer src, Wakeup wakeup) {
        Objects.requireNonNull(src, "src must not be null");
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        final int length = src.remaining();
        final long position = claim(length);
        if (position < 0) {
            return false;
        }
        final int headerOffset = (int) (position & mask);
        data.put(headerOffset + HEADER_LENGTH, src, src.position(), length);
        publish(headerOffset, header(STATE_COMMITTED, length) | headers.tag(position), wakeup);
        return true;
    }

    /** Ends the stream: sets the closed bit. @return whether this call closed it */
    boolean end() {
        final long before = region.gaOrProducerPosition(CLOSED_BIT);
        if (before < 0) {
            return false;
        }
        // The closed bit before the waiter and listener reads, as the fence in publish() orders a header.
        VarHandle.fullFence();
        mode.ringDoorbellOnEnd();
        signal.signal(); // not counted as a wakeup: wakeups() counts producers' commit and discard decisions
        return true;
    }

    /** A producer gave up on a record after {@code tryClaim} failed: counts it once. */
    void countDrop(DropReason reason) {
        switch (Objects.requireNonNull(reason, "reason must not be null")) {
            case FULL:
                counters.droppedFull();
                break;
            case CLOSED:
                counters.droppedClosed();
                break;
            default:
                counters.droppedOversize();
                break;
        }
    }

    boolean isDetached() {
        return (long) DETACHED.getOpaque(this) != 0;
    }
}
