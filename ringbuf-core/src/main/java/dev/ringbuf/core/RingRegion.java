package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.ABANDONED_COUNT_OFFSET;
import static dev.ringbuf.core.RingLayout.CLAIM_LOCK_OFFSET;
import static dev.ringbuf.core.RingLayout.CONSUMED_COUNT_OFFSET;
import static dev.ringbuf.core.RingLayout.CONSUMER_CACHE_OFFSET;
import static dev.ringbuf.core.RingLayout.CONSUMER_GUARD_OFFSET;
import static dev.ringbuf.core.RingLayout.CONSUMER_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.CONSUMER_WAITING_OFFSET;
import static dev.ringbuf.core.RingLayout.DATA_OFFSET;
import static dev.ringbuf.core.RingLayout.DISCARDED_COUNT_OFFSET;
import static dev.ringbuf.core.RingLayout.DOORBELL_OFFSET;
import static dev.ringbuf.core.RingLayout.FREEING_TO_OFFSET;
import static dev.ringbuf.core.RingLayout.LAST_CONSUMER_OFFSET;
import static dev.ringbuf.core.RingLayout.OVERWRITE_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.OVERWRITTEN_COUNT_OFFSET;
import static dev.ringbuf.core.RingLayout.PRODUCER_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.READING_POSITION_OFFSET;
import static dev.ringbuf.core.RingLayout.READ_POSITION_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every memory-ordered access to a ring's region, in one place, named by the convention of the package
 * ({@code package-info.java}): the prefix is the access mode ({@code lp}/{@code lo}/{@code la}/{@code lv}: plain,
 * opaque, acquire, volatile load; {@code sp}/{@code so}/{@code sr}/{@code sv}: plain, opaque, release, volatile
 * store; {@code cas}, {@code cae}: compare-and-set, compare-and-exchange; {@code gaa}, {@code gaOr}, {@code gaAnd}:
 * atomic add, or, and), the rest names the word ({@link RingLayout}). Callers say why they need the mode they use.
 *
 * <p>Headers are addressed by their offset in the data area ({@code position & (capacity - 1)}).
 */
final class RingRegion {

    /** Little-endian atomic access to the 8-byte-aligned words of a byte buffer. */
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Source of zeroes for clearing consumed space. */
    private static final byte[] ZEROES = new byte[4096];

    /** The whole region: metadata page, data area, tail extension. */
    final ByteBuffer region;
    /** The data area and tail extension: the buffer record offsets index. */
    final ByteBuffer data;

    RingRegion(ByteBuffer region, int capacity, int maxRecordSize) {
        this.region = region.order(ByteOrder.LITTLE_ENDIAN);
        this.data = region.slice(DATA_OFFSET, capacity + RingLayout.tailExtension(maxRecordSize))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes a new ring's header page into zeroed memory (in process, or a new ring file: one formatter for both) and
     * returns the region's words. The magic goes last, with release: a process that opens a ring file while it is
     * being created sees either no magic ("not a ring file") or a complete header.
     *
     * @param memory zeroed memory of {@link RingLayout#regionLength} bytes, little-endian
     */
    static RingRegion format(ByteBuffer memory, int capacity, int maxRecordSize, long stallTimeoutNanos,
            boolean overwrite) {
        memory.putInt(RingLayout.VERSION_OFFSET, RingLayout.LAYOUT_VERSION);
        memory.putInt(RingLayout.CAPACITY_OFFSET, capacity);
        memory.putInt(RingLayout.MAX_RECORD_SIZE_OFFSET, maxRecordSize);
        memory.putLong(RingLayout.CREATION_TIME_OFFSET, System.currentTimeMillis());
        memory.putLong(RingLayout.STALL_TIMEOUT_OFFSET, stallTimeoutNanos);
        memory.putLong(RingLayout.FLAGS_OFFSET, overwrite ? RingLayout.FLAG_OVERWRITE : 0L);
        final RingRegion region = new RingRegion(memory, capacity, maxRecordSize);
        region.srMagic(RingLayout.MAGIC);
        return region;
    }

    /** A new ring's region in process memory (direct, zeroed, page-aligned), formatted. */
    static RingRegion allocate(int capacity, int maxRecordSize, long stallTimeoutNanos, boolean overwrite) {
        final int length = RingLayout.regionLength(capacity, maxRecordSize);
        // allocateDirect zeroes the memory; the slack page-aligns the region, which also 8-aligns every word the
        // ring accesses atomically (the byte-buffer VarHandle requires aligned addresses for that).
        final ByteBuffer memory = ByteBuffer.allocateDirect(length + RingLayout.DATA_OFFSET);
        final int page = RingLayout.DATA_OFFSET;
        final int shift = (page - memory.alignmentOffset(0, page)) & (page - 1);
        return format(memory.slice(shift, length).order(ByteOrder.LITTLE_ENDIAN), capacity, maxRecordSize,
                stallTimeoutNanos, overwrite);
    }

    /** The identity line's last word, written when a ring file is complete. */
    void srMagic(long magic) {
        WORD.setRelease(region, RingLayout.MAGIC_OFFSET, magic);
    }

    // --------------------------------------------------------------------------------------- producer position

    long loProducerPosition() {
        return (long) WORD.getOpaque(region, PRODUCER_POSITION_OFFSET);
    }

    long laProducerPosition() {
        return (long) WORD.getAcquire(region, PRODUCER_POSITION_OFFSET);
    }

    boolean casProducerPosition(long expected, long next) {
        return WORD.compareAndSet(region, PRODUCER_POSITION_OFFSET, expected, next);
    }

    long gaOrProducerPosition(long bits) {
        return (long) WORD.getAndBitwiseOr(region, PRODUCER_POSITION_OFFSET, bits);
    }

    // ------------------------------------------------------------------------------- overwrite mode (producers)

    long laOverwriteWord() {
        return (long) WORD.getAcquire(region, OVERWRITE_POSITION_OFFSET);
    }

    boolean casOverwriteWord(long expected, long word) {
        return WORD.compareAndSet(region, OVERWRITE_POSITION_OFFSET, expected, word);
    }

    long loClaimLock() {
        return (long) WORD.getOpaque(region, CLAIM_LOCK_OFFSET);
    }

    boolean casClaimLock(long expected, long token) {
        return WORD.compareAndSet(region, CLAIM_LOCK_OFFSET, expected, token);
    }

    long loOverwrittenCount() {
        return (long) WORD.getOpaque(region, OVERWRITTEN_COUNT_OFFSET);
    }

    void gaaOverwrittenCount() {
        WORD.getAndAdd(region, OVERWRITTEN_COUNT_OFFSET, 1L);
    }

    long laReadingPosition() {
        return (long) WORD.getAcquire(region, READING_POSITION_OFFSET);
    }

    void srReadingPosition(long position) {
        WORD.setRelease(region, READING_POSITION_OFFSET, position);
    }

    // --------------------------------------------------------------------------------------- consumer positions

    long lpConsumerPosition() {
        return (long) WORD.get(region, CONSUMER_POSITION_OFFSET);
    }

    long laConsumerPosition() {
        return (long) WORD.getAcquire(region, CONSUMER_POSITION_OFFSET);
    }

    long lvConsumerPosition() {
        return (long) WORD.getVolatile(region, CONSUMER_POSITION_OFFSET);
    }

    void srConsumerPosition(long position) {
        WORD.setRelease(region, CONSUMER_POSITION_OFFSET, position);
    }

    long lpReadPosition() {
        return (long) WORD.get(region, READ_POSITION_OFFSET);
    }

    long loReadPosition() {
        return (long) WORD.getOpaque(region, READ_POSITION_OFFSET);
    }

    long laReadPosition() {
        return (long) WORD.getAcquire(region, READ_POSITION_OFFSET);
    }

    long lvReadPosition() {
        return (long) WORD.getVolatile(region, READ_POSITION_OFFSET);
    }

    void srReadPosition(long position) {
        WORD.setRelease(region, READ_POSITION_OFFSET, position);
    }

    long laConsumerCache() {
        return (long) WORD.getAcquire(region, CONSUMER_CACHE_OFFSET);
    }

    void srConsumerCache(long position) {
        WORD.setRelease(region, CONSUMER_CACHE_OFFSET, position);
    }

    boolean casConsumerCache(long expected, long position) {
        return WORD.compareAndSet(region, CONSUMER_CACHE_OFFSET, expected, position);
    }

    // ------------------------------------------------------------------------- counters (single writer: consumer)

    long loConsumedCount() {
        return (long) WORD.getOpaque(region, CONSUMED_COUNT_OFFSET);
    }

    long loDiscardedCount() {
        return (long) WORD.getOpaque(region, DISCARDED_COUNT_OFFSET);
    }

    long loAbandonedCount() {
        return (long) WORD.getOpaque(region, ABANDONED_COUNT_OFFSET);
    }

    /**
     * Adds to the consumed, discarded and abandoned counters. Consumer only (guard held): plain reads of its own
     * words, opaque stores so that readers on other threads see whole 64-bit values.
     */
    void soAddCounts(long consumed, long discarded, long abandoned) {
        if (consumed != 0) {
            WORD.setOpaque(region, CONSUMED_COUNT_OFFSET, (long) WORD.get(region, CONSUMED_COUNT_OFFSET) + consumed);
        }
        if (discarded != 0) {
            WORD.setOpaque(region, DISCARDED_COUNT_OFFSET,
                    (long) WORD.get(region, DISCARDED_COUNT_OFFSET) + discarded);
        }
        if (abandoned != 0) {
            WORD.setOpaque(region, ABANDONED_COUNT_OFFSET,
                    (long) WORD.get(region, ABANDONED_COUNT_OFFSET) + abandoned);
        }
    }

    // ----------------------------------------------------------------------------- ring-file consumer words

    long lvConsumerGuard() {
        return (long) WORD.getVolatile(region, CONSUMER_GUARD_OFFSET);
    }

    long caeConsumerGuard(long expected, long owner) {
        return (long) WORD.compareAndExchange(region, CONSUMER_GUARD_OFFSET, expected, owner);
    }

    /**
     * compareAndSet form, for ring files' every-call paths: compiled code faults on a truncated file as an
     * InternalError, where compareAndExchange may run in the VM and crash it.
     */
    boolean casConsumerGuard(long expected, long owner) {
        return WORD.compareAndSet(region, CONSUMER_GUARD_OFFSET, expected, owner);
    }

    long lpLastConsumer() {
        return (long) WORD.get(region, LAST_CONSUMER_OFFSET);
    }

    void soLastConsumer(long instance) {
        WORD.setOpaque(region, LAST_CONSUMER_OFFSET, instance);
    }

    long lvFreeingTo() {
        return (long) WORD.getVolatile(region, FREEING_TO_OFFSET);
    }

    void svFreeingTo(long position) {
        WORD.setVolatile(region, FREEING_TO_OFFSET, position);
    }

    long loConsumerWaiting() {
        return (long) WORD.getOpaque(region, CONSUMER_WAITING_OFFSET);
    }

    void gaOrConsumerWaiting(long bits) {
        WORD.getAndBitwiseOr(region, CONSUMER_WAITING_OFFSET, bits);
    }

    void gaAndConsumerWaiting(long bits) {
        WORD.getAndBitwiseAnd(region, CONSUMER_WAITING_OFFSET, bits);
    }

    long laDoorbell() {
        return (long) WORD.getAcquire(region, DOORBELL_OFFSET);
    }

    void gaaDoorbell() {
        WORD.getAndAdd(region, DOORBELL_OFFSET, 1L);
    }

    long laConsumerHeartbeat() {
        return (long) WORD.getAcquire(region, RingLayout.CONSUMER_HEARTBEAT_OFFSET);
    }

    /** Release store: only the guard's holder process advances it; contenders only compare values. */
    void srConsumerHeartbeat(long beat) {
        WORD.setRelease(region, RingLayout.CONSUMER_HEARTBEAT_OFFSET, beat);
    }

    // ----------------------------------------------------------------------------- abandoned line (ring files)

    long lpAbandonedNext() {
        return (long) WORD.get(region, RingLayout.ABANDONED_RANGES_OFFSET);
    }

    /**
     * Opaque stores of a slot, end first (0: the slot is being written), then start, then end. The consumer writes
     * it before it frees the abandoned space; its release of the consumer position (after zeroing) is the partner of
     * the producers' acquire of that position, so a producer claiming that space sees the slot.
     */
    void soAbandonedRange(long next, int slot, long start, long end) {
        final int at = RingLayout.ABANDONED_RANGES_OFFSET + 8 + 16 * slot;
        WORD.setOpaque(region, at + 8, 0L);
        WORD.setOpaque(region, at, start);
        WORD.setOpaque(region, at + 8, end);
        WORD.setOpaque(region, RingLayout.ABANDONED_RANGES_OFFSET, next);
    }

    long laAbandonedStart(int slot) {
        return (long) WORD.getAcquire(region, RingLayout.ABANDONED_RANGES_OFFSET + 8 + 16 * slot);
    }

    long laAbandonedEnd(int slot) {
        return (long) WORD.getAcquire(region, RingLayout.ABANDONED_RANGES_OFFSET + 16 + 16 * slot);
    }

    // --------------------------------------------------------------------------------------- record headers

    long loHeader(int headerOffset) {
        return (long) WORD.getOpaque(data, headerOffset);
    }

    long laHeader(int headerOffset) {
        return (long) WORD.getAcquire(data, headerOffset);
    }

    void soHeader(int headerOffset, long header) {
        WORD.setOpaque(data, headerOffset, header);
    }

    void srHeader(int headerOffset, long header) {
        WORD.setRelease(data, headerOffset, header);
    }

    boolean casHeader(int headerOffset, long expected, long header) {
        return WORD.compareAndSet(data, headerOffset, expected, header);
    }

    long caeHeader(int headerOffset, long expected, long header) {
        return (long) WORD.compareAndExchange(data, headerOffset, expected, header);
    }

    /** Plain zeroes over {@code [offset, offset + length)} of the data area; the caller publishes them. */
    void spZeroes(int offset, int length) {
        final ByteBuffer data = this.data;
        int done = 0;
        while (done < length) {
            final int chunk = Math.min(ZEROES.length, length - done);
            data.put(offset + done, ZEROES, 0, chunk);
            done += chunk;
        }
    }
}
