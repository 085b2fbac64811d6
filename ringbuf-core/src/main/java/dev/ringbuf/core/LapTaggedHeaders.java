package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.HEADER_LENGTH;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.header;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;

/**
 * The header discipline of every ring kind whose consumer abandons a record that stays busy for the stall timeout (a
 * ring file, and an in-process ring built with {@link RingBufferBuilder#stallTimeout}): one part, written once, that
 * both kinds are assembled from.
 *
 * <ul>
 *   <li>Headers carry a lap tag; producers write their busy header and commit with a CAS from the value they expect,
 *       so a producer whose record was abandoned learns it and never overwrites a newer record.</li>
 *   <li>A reservation checks its own header before every write ({@link #checkReserved}): a stalled producer's
 *       late put is refused with a message, not written.</li>
 *   <li>Producers check that the space they claim is really free (zero) before writing into it; a late write that
 *       slipped between a check and its put lies in a recently abandoned record's space ({@link AbandonedRanges})
 *       and is cleaned; anything else is refused as corruption.</li>
 *   <li>The consumer validates every header (lap tag, length at most the max record size, end at most the producer
 *       position) and abandons a stuck record only by a length it validated ({@link #onHeadOfLine}).</li>
 * </ul>
 */
final class LapTaggedHeaders extends RingHeaders {

    private final String ring;
    /** "the ring file's stall timeout of 10 s", "the stall timeout of 100 ms": for messages. */
    private final String stallTimeout;
    private final RingRegion region;
    private final int capacity;
    private final int mask;
    private final int maxRecordSize;
    private final long stallTimeoutNanos;
    private final RingFileSize size;
    private final AbandonedRanges abandoned;
    /** The consumer's last reading of the producer position (consumer only, guard held): it only grows. */
    private long knownProducerPosition;

    /**
     * @param ring how messages name the ring ("ring file /x", "ring 'events'")
     * @param size checks a ring file's size before slow-path atomics ({@link RingFileSize#NONE} in process)
     */
    LapTaggedHeaders(String ring, RingRegion region, int capacity, int maxRecordSize, long stallTimeoutNanos,
            RingFileSize size) {
        this.ring = ring;
        this.stallTimeout = (size == RingFileSize.NONE ? "the " : "the ring file's ") + "stall timeout of "
                + StallTimeout.describe(stallTimeoutNanos);
        this.region = region;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxRecordSize = maxRecordSize;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.size = size;
        this.abandoned = new AbandonedRanges(region, capacity);
    }

    private IllegalStateException corrupted(String what) {
        return new IllegalStateException(ring + " is corrupted: " + what);
    }

    /** The lap tag of a header at {@code position} ({@link RingLayout#lapTag}). */
    @Override
    long tag(long position) {
        return RingLayout.lapTag(position, capacity);
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

    /** Throws if the consumer abandoned the reservation whose busy header is {@code busy}. */
    @Override
    boolean checksReservations() {
        return true;
    }

    @Override
    void checkReserved(int headerOffset, long busy, long position) {
        // Acquire pairs with the consumer's abandoning CAS: once we see it, we stop writing into space it frees.
        final long header = region.laHeader(headerOffset);
        if (header != busy) {
            throw new IllegalStateException("reservation at position " + position + " of " + ring
                    + " was abandoned by the consumer after " + stallTimeout + " (the producer stalled between "
                    + "reserve and commit; its header is now 0x" + Long.toHexString(header) + "): the record is lost, "
                    + "and nothing more is written");
        }
    }

    /** Writes the busy header of a record just claimed: a CAS from zero, never over the consumer's padding. */
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
                throw new IllegalStateException("reservation at position " + position + " of " + ring
                        + " was abandoned by the consumer before its header was written (the producer stalled for "
                        + "more than " + stallTimeout + "); nothing was written");
            }
            if (region.casHeader(headerOffset, witness, busy)) {
                return;
            }
        }
    }

    /** Commits or discards: a CAS from the reservation's own busy header. */
    @Override
    void publishHeader(int headerOffset, long header) {
        final long busy = RingLayout.withState(header, STATE_BUSY);
        // CAS from our own busy header (tag included; its release pairs with the consumer's acquire of the header,
        // as the plain kind's store does): a record the consumer abandoned meanwhile, or a newer one a lap later, is
        // never overwritten.
        if (!region.casHeader(headerOffset, busy, header)) {
            final long witness = region.laHeader(headerOffset);
            throw new IllegalStateException("record at offset " + (headerOffset + HEADER_LENGTH) + " of " + ring
                    + " is no longer a live reservation (header 0x" + Long.toHexString(witness) + "): it stayed busy "
                    + "for more than " + stallTimeout + ", so the consumer abandoned it (counted in "
                    + "abandonedRecords()) and went on; this commit or discard was too late and changed nothing (or it "
                    + "was committed or discarded twice)");
        }
    }

    /**
     * A header must carry its lap tag and describe a record inside the reserved bytes.
     *
     * @return {@code false} if the word was a late write into free space, now cleaned: read again
     */
    @Override
    boolean checkRecord(long header, long position) {
        final int state = RingLayout.state(header);
        final long length = length(header) & 0xFFFF_FFFFL;
        // A discarded record may be padding the consumer wrote over an abandoned claim: up to the producer position.
        final long limit = state == STATE_DISCARDED ? capacity - HEADER_LENGTH : maxRecordSize;
        final long end = position + recordLength((int) Math.min(length, limit));
        if (end > knownProducerPosition) {
            // Re-read only when the cached bound is passed: not a read of the producers' line per record.
            knownProducerPosition = region.laProducerPosition() & ~CLOSED_BIT;
        }
        if ((header & RingLayout.LAP_TAG_MASK) != tag(position) || length > limit || end > knownProducerPosition) {
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

    /** Whether the consumer stopping at {@code position} with {@code header} is blocked by a reservation. */
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
     * its producer died between reserve and commit, or is slower than the timeout allows. The bytes skipped are
     * always a length {@link #checkRecord} validated (tag, at most the max record size, within the producer
     * position), or the distance to the next written word below the producer position: never an unchecked length.
     */
    @Override
    long onHeadOfLine(long position, long header, long since) {
        if (System.nanoTime() - since < stallTimeoutNanos) {
            return 0;
        }
        final long padding;
        if (header != 0) {
            if (!checkRecord(header, position)) {
                return -1; // a cleaned late write, not a record: read again
            }
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
}
