package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.ABANDONED_RANGE_SLOTS;

/**
 * The space of the busy records a ring file's consumer abandoned most recently, kept in the file's abandoned line.
 *
 * <p>A producer that stalled past the stall timeout learns at its next write or commit that its record was abandoned
 * ({@link RingFileMode#checkReserved}); but a producer stopped between that check and the write it guards writes
 * once more, late, into space the consumer has already freed. Such bytes can only land inside the abandoned record's
 * own space. A producer that finds non-zero words in space it is about to claim asks {@link #contains}: if they lie
 * inside a recently abandoned record's space they are that late write, and it zeroes them; anywhere else they are
 * corruption. The last {@value RingLayout#ABANDONED_RANGE_SLOTS} abandoned records are remembered.
 */
final class AbandonedRanges {

    private final RingRegion region;
    private final int mask;

    AbandonedRanges(RingRegion region, int capacity) {
        this.region = region;
        this.mask = capacity - 1;
    }

    /** The consumer abandoned the busy record {@code [start, end)}. Consumer only, guard held. */
    void record(long start, long end) {
        final long next = region.lpAbandonedNext();
        region.soAbandonedRange(next + 1, (int) (next % ABANDONED_RANGE_SLOTS), start, end);
    }

    /**
     * Whether the word at {@code position} (in a lap after the abandonment) lies in the space of a recently
     * abandoned record.
     */
    boolean contains(long position) {
        for (int slot = 0; slot < ABANDONED_RANGE_SLOTS; slot++) {
            final long end = region.laAbandonedEnd(slot);
            final long start = region.laAbandonedStart(slot);
            // End re-read: a slot the consumer rewrote meanwhile is skipped rather than read torn.
            if (end <= start || end - start > mask || region.laAbandonedEnd(slot) != end) {
                continue;
            }
            // The same offsets in the ring, in a later lap than the abandoned record's.
            if (position >= end && ((position - start) & mask) < end - start) {
                return true;
            }
        }
        return false;
    }
}
