package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.HEADER_LENGTH;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.header;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A ring in a memory-mapped file shared by producers and a consumer in several processes: what an in-process ring
 * does with heap objects redone with words in the file, plus the fault handling a ring shared with other processes
 * needs ({@code docs/shared-memory.md}).
 *
 * <ul>
 *   <li>Headers carry a lap tag; producers write their busy header and commit with a CAS from the value they expect,
 *       so a producer whose record was abandoned learns it and never overwrites a newer record.</li>
 *   <li>Producers validate every consumer position they read (CVE-2024-41009) and check that the space they claim is
 *       really free (zero) before writing into it.</li>
 *   <li>The consumer validates every header, abandons a record that stays busy (or claimed and unwritten) for the
 *       stall timeout ({@link #onHeadOfLine}), and keeps its guard in the file ({@link RingFileConsumerGuard}).</li>
 *   <li>Waiting is an idle loop, and wakeups reach another process through a doorbell ({@link RingFileWaiting}).</li>
 * </ul>
 */
final class RingFileMode extends RingMode {

    private final Path path;
    private final RingRegion region;
    private final int capacity;
    private final int mask;
    private final int capacityShift;
    private final int maxRecordSize;
    private final long stallTimeoutNanos;
    private final boolean owner;
    private final RingFileConsumerGuard guard;
    private final RingFileWaiting waiting;
    /** The consumer's last reading of the producer position (consumer only, guard held): it only grows. */
    private long knownProducerPosition;
    private final AbandonedRanges abandoned;
    private final RingFileSize size;

    RingFileMode(String name, Path path, RingRegion region, int capacity, int maxRecordSize, long stallTimeoutNanos,
            boolean owner) {
        this.path = path;
        this.region = region;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.maxRecordSize = maxRecordSize;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.owner = owner;
        this.size = new RingFileSize(path, RingLayout.regionLength(capacity, maxRecordSize));
        this.guard = new RingFileConsumerGuard(path, region, capacity, stallTimeoutNanos, size);
        this.waiting = new RingFileWaiting(name, path, region, stallTimeoutNanos, size);
        this.abandoned = new AbandonedRanges(region, capacity);
    }

    private IllegalStateException corrupted(String what) {
        return new IllegalStateException("ring file " + path + " is corrupted: " + what);
    }

    /** The stall timeout recorded in the file (the creator's), as messages quote it. */
    private String stallTimeout() {
        return "the ring file's stall timeout of " + StallTimeout.describe(stallTimeoutNanos);
    }

    // ---------------------------------------------------------------------------------------------- producers

    @Override
    long tag(long position) {
        return (position >>> capacityShift) << RingLayout.LAP_TAG_SHIFT;
    }

    @Override
    void checkConsumerPosition(long producerBefore, long consumer) {
        // Acquire: ordered after the consumer position, so a legitimate one is never beyond it.
        final long after = region.laProducerPosition() & ~CLOSED_BIT;
        // Legitimately before - (C - 1) <= consumer <= after: the reservation that made `before` saw a consumer
        // position at least that large, and the consumer never passes the producer.
        if ((consumer & (RingLayout.ALIGNMENT - 1)) != 0 || consumer > after
                || consumer < (producerBefore & ~CLOSED_BIT) - (capacity - 1)) {
            throw corrupted("consumer position " + consumer + " is impossible for producer position " + after
                    + " and capacity " + capacity + " (it must be 8-aligned, at most the producer position and less "
                    + "than a capacity behind it); refusing to reserve so that no unconsumed record is overwritten");
        }
    }

    /**
     * The consumer zeroes what it frees, so a non-zero word in space about to be claimed was written after the
     * consumer freed it: by a stalled producer whose record was abandoned (then it lies in that record's space, which
     * {@link AbandonedRanges} remembers, and is zeroed here), or by something else (a consumer position moved ahead,
     * another process writing into the ring), which is refused. Checked before the position CAS, so a refused claim
     * changes nothing.
     */
    @Override
    boolean isClaimable(long position, long recordLength) {
        final int offset = (int) (position & mask);
        // The part inside the data area, and the part a wrapped record accounts at its start. The tail extension is
        // never zeroed and never holds a header, so it is not checked.
        final int first = (int) Math.min(recordLength, capacity - offset);
        for (int i = 0; i < recordLength; i += 8) {
            final int at = i < first ? offset + i : i - first;
            // Acquire: a non-zero word written by a producer that claimed this space is ordered before our re-read
            // of the producer position, so a stale position is never mistaken for corruption.
            final long word = region.laHeader(at);
            if (word != 0) {
                if ((region.laProducerPosition() & ~CLOSED_BIT) != position) {
                    return false;
                }
                if (abandoned.contains(position + i)) {
                    size.check();
                    // A late write into an abandoned record's space, found before anyone claimed it. CAS: a word
                    // that changed meanwhile (another claimer got here first) is left to that claimer.
                    region.casHeader(at, word, 0L);
                    i -= 8; // look at this word again
                    continue;
                }
                throw corrupted("the space reserved at position " + position + " is not free (word 0x"
                        + Long.toHexString(word) + " at position " + (position + i) + "), although the consumer "
                        + "freed it (consumer position " + region.laConsumerPosition() + "): a stalled producer "
                        + "wrote after its record was abandoned (longer ago than the last "
                        + RingLayout.ABANDONED_RANGE_SLOTS + " abandoned records), or another process wrote into "
                        + "the ring's free space or moved the consumer position ahead; nothing was written");
            }
        }
        return true;
    }

    @Override
    boolean checksReservations() {
        return true;
    }

    @Override
    void checkReserved(int headerOffset, long busy, long position) {
        // Acquire pairs with the consumer's abandoning CAS: once we see it, we stop writing into space it frees.
        final long header = region.laHeader(headerOffset);
        if (header != busy) {
            throw abandoned(position, header);
        }
    }

    private IllegalStateException abandoned(long position, long header) {
        return new IllegalStateException("reservation at position " + position + " of ring file " + path
                + " was abandoned by the consumer after " + stallTimeout() + " (the producer stalled between "
                + "reserve and commit; its header is now 0x" + Long.toHexString(header) + "): the record is lost, "
                + "and nothing more is written");
    }

    @Override
    void writeBusyHeader(int headerOffset, long busy, long position) {
        // CAS from zero, not a store: a consumer that saw this claim unwritten for the whole stall timeout may have
        // covered it with discarded padding already; then the claim is the consumer's and we must not write.
        // compareAndSet rather than compareAndExchange, here and in publishHeader: the JIT compilers turn it into an
        // instruction whose fault on a truncated file the JVM reports as an InternalError, where C1 calls the VM for
        // compareAndExchange, and a fault there crashes the JVM (docs/shared-memory.md, truncation).
        while (!region.casHeader(headerOffset, 0L, busy)) {
            final long witness = region.laHeader(headerOffset);
            if (witness == 0L) {
                continue;
            }
            // A late write from a stalled producer that landed after our claim check: the space is ours, take it.
            // Consumer padding over our claim is tagged and discarded, never such a word.
            final boolean padding = (witness & RingLayout.LAP_TAG_MASK) == tag(position)
                    && RingLayout.state(witness) == STATE_DISCARDED;
            if (padding || !abandoned.contains(position)) {
                throw new IllegalStateException("reservation at position " + position + " of ring file " + path
                        + " was abandoned by the consumer before its header was written (the producer stalled for "
                        + "more than " + stallTimeout() + "); nothing was written");
            }
            if (region.casHeader(headerOffset, witness, busy)) {
                return;
            }
        }
    }

    @Override
    void publishHeader(int headerOffset, long header) {
        final long busy = RingLayout.withState(header, STATE_BUSY);
        // CAS from our own busy header (tag included; its release pairs with the consumer's acquire, as the
        // in-process store does): a record the consumer abandoned meanwhile, or a newer one a lap later, is never
        // overwritten.
        if (!region.casHeader(headerOffset, busy, header)) {
            final long witness = region.laHeader(headerOffset);
            throw new IllegalStateException("record at offset " + (headerOffset + HEADER_LENGTH) + " of ring file "
                    + path + " is no longer a live reservation (header 0x" + Long.toHexString(witness)
                    + "): the consumer abandoned it after " + stallTimeout()
                    + " (the producer stalled between reserve and commit; the record is lost), or it was committed "
                    + "or discarded twice; nothing was written");
        }
    }

    @Override
    void ringDoorbell() {
        waiting.ringDoorbell();
    }

    @Override
    void ringDoorbellOnEnd() {
        waiting.ringDoorbellAlways();
    }

    // ----------------------------------------------------------------------------------------------- consumer

    @Override
    void acquireConsumer(ConsumerPath consumer) {
        guard.acquire(consumer);
    }

    @Override
    void releaseConsumer() {
        guard.release();
    }

    /** A header must carry its lap tag and describe a record inside the reserved bytes. */
    @Override
    boolean checkRecord(long header, long position) {
        final int state = RingLayout.state(header);
        final long length = length(header) & 0xFFFF_FFFFL;
        // A discarded record may be padding the consumer wrote over an abandoned claim: up to the producer position.
        final long limit = state == STATE_DISCARDED ? capacity - HEADER_LENGTH : maxRecordSize;
        final long end = position + recordLength((int) Math.min(length, limit));
        if (state != STATE_BUSY && end > knownProducerPosition) {
            // Re-read only when the cached bound is passed: not a read of the producers' line per record.
            knownProducerPosition = region.laProducerPosition() & ~CLOSED_BIT;
        }
        if ((header & RingLayout.LAP_TAG_MASK) != tag(position) || length > limit
                || (state != STATE_BUSY && end > knownProducerPosition)) {
            // The verdict takes a fresh producer position: the cached one may be behind.
            final long producer = region.laProducerPosition() & ~CLOSED_BIT;
            knownProducerPosition = producer;
            if (position >= producer && abandoned.contains(position)) {
                // Not a header: no record is reserved here yet. A stalled producer wrote into the free space after
                // its record was abandoned; clean it (CAS: a producer claiming this space meanwhile takes it over
                // the same way in writeBusyHeader) and read again.
                size.check();
                region.casHeader((int) (position & mask), header, 0L);
                return false;
            }
            throw corrupted("record header 0x" + Long.toHexString(header) + " at position " + position
                    + " is impossible (expected lap tag " + (tag(position) >>> RingLayout.LAP_TAG_SHIFT)
                    + ", length at most " + limit + ", record ending at most at producer position " + producer + ")"
                    + (abandoned.contains(position) ? ": it lies in an abandoned record's space, so a stalled "
                            + "producer wrote after its record was abandoned (over a newer record's header)" : ""));
        }
        return true;
    }

    @Override
    boolean isReserved(long position, long header) {
        if (header != 0) {
            // A busy header must carry its tag too; a cleaned late write leaves nothing reserved to wait for.
            return checkRecord(header, position);
        }
        return (region.laProducerPosition() & ~CLOSED_BIT) > position; // claimed, not yet written
    }

    /**
     * Abandons the record at {@code position} once it has been busy (or claimed and unwritten) for the stall timeout:
     * its producer died between reserve and commit, or is slower than the timeout allows.
     */
    @Override
    long onHeadOfLine(long position, long header, long since) {
        if (System.nanoTime() - since < stallTimeoutNanos) {
            return 0;
        }
        final long padding;
        if (header != 0) {
            // CAS busy -> discarded: either we win and its later commit fails (it CASes from busy), or its commit won
            // and we read the record normally.
            padding = RingLayout.withState(header, STATE_DISCARDED);
        } else {
            // Claimed but never written: its length is unknown; the claim ends at the next non-zero word (a later
            // record's header: producers write nothing before their header, and the consumer zeroed this space) or
            // at the producer position.
            final long producer = region.laProducerPosition() & ~CLOSED_BIT;
            long end = position + RingLayout.ALIGNMENT;
            while (end < producer && region.laHeader((int) (end & mask)) == 0) {
                end += RingLayout.ALIGNMENT;
            }
            padding = tag(position) | header(STATE_DISCARDED, (int) (end - position - HEADER_LENGTH));
        }
        size.check();
        // Volatile CAS: serialises with the producer's busy-header and commit CAS on the same word.
        if (!region.casHeader((int) (position & mask), header, padding)) {
            return -1;
        }
        if (header != 0) {
            // Its producer may still write late into this space, after we free it: remember where.
            abandoned.record(position, position + recordLength(length(padding)));
        }
        return recordLength(length(padding));
    }

    @Override
    void beforeFree(long consumerPosition, long position) {
        guard.beforeFree(consumerPosition, position);
    }

    @Override
    void afterFree(long position) {
        guard.published(position);
        spaceWaiters.onSpaceFreed(); // waiters in this process; those in others idle (spaceWaitParkNanos)
    }

    @Override
    long spaceWaitParkNanos(long previous) {
        // The consumer may be in another process and cannot unpark us: idle with the consumer's backoff.
        return previous == 0 ? RingFileWaiting.MIN_PARK_NANOS
                : Math.min(previous << 1, RingFileWaiting.MAX_PARK_NANOS);
    }

    @Override
    long stallTimeoutNanos() {
        return stallTimeoutNanos;
    }

    @Override
    boolean abandonsStuckRecords() {
        return true;
    }

    @Override
    boolean awaitData(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException {
        return waiting.await(consumer, deadline);
    }

    @Override
    void listenerChanged(WakeupListener listener) {
        waiting.listenerChanged(listener);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    boolean ownsStream() {
        return owner;
    }

    @Override
    void detach() {
        waiting.listenerChanged(null);
        guard.detach();
    }

    @Override
    long claimLockBreakNanos() {
        return stallTimeoutNanos;
    }

    @Override
    long abandonedRecords() {
        return region.loAbandonedCount();
    }

    @Override
    Optional<Path> file() {
        return Optional.of(path);
    }
}
