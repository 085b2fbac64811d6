package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.LAP_TAG_MASK;
import static dev.ringbuf.core.RingLayout.OVERWRITE_PINNED;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.header;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;
import static dev.ringbuf.core.RingLayout.state;

/**
 * The producers' half in overwrite mode (the kernel's {@code BPF_F_RB_OVERWRITE}), chosen once when the ring is
 * built: only {@link #claim} differs, commit, discard, the wakeup rule and {@code output} are {@link ProducerPath}'s.
 *
 * <p>The space check ignores the consumer position. A claim of {@code [p, next)} first makes room: while
 * {@code next - overwritePosition > C - 1} it advances the overwrite position over one whole record at a time (a CAS),
 * and fails as {@link DropReason#FULL full} if that record is busy, or is the one the consumer is reading (the
 * reading position, while the consumer has pinned the overwrite word). A record passed before the consumer read it
 * (committed, or discarded) is counted as overwritten, by the producer that passed it.
 *
 * <p>Nobody zeroes space in this mode, so the claim must never publish a producer position over a slot that still
 * holds a stale header. A producer therefore takes the slot at {@code p} first, with a CAS from the value it saw
 * there to its own busy header (lap-tagged, so no stale value equals it), and only then moves the producer position
 * with a second CAS. Another producer that finds a busy header of this lap at the producer position helps: it moves
 * the position past that record itself. So no producer waits for another, and one stopped between its two CASes
 * stops nobody. Costs two CASes per claim instead of one.
 */
final class OverwriteProducerPath extends ProducerPath {

    private final String name;
    private final RingRegion region;
    private final RingMode mode;
    private final RingCounters counters;
    private final int mask;
    private final int maxRecordSize;
    private final long maxLead;

    OverwriteProducerPath(String name, RingRegion region, RingMode mode, RingCounters counters, WakeupSignal signal,
            int capacity, int maxRecordSize) {
        super(name, region, mode, counters, signal, capacity, maxRecordSize);
        this.name = name;
        this.region = region;
        this.mode = mode;
        this.counters = counters;
        this.mask = capacity - 1;
        this.maxRecordSize = maxRecordSize;
        this.maxLead = capacity - 1L;
    }

    @Override
    long claim(int size) {
        if (size < 0 || size > maxRecordSize) {
            counters.droppedOversize();
            throw new IllegalArgumentException("record size " + size + " must be between 0 and maxRecordSize "
                    + maxRecordSize + " of ring '" + name + "'");
        }
        final RingRegion region = this.region;
        final long recordLength = recordLength(size);
        final long detached = isDetached() ? CLOSED_BIT : 0L;
        while (true) {
            // Acquire pairs with the CAS that published this position (its claimer's or a helper's): the busy header
            // that claimer CASed into every slot below it before is visible, so no slot below it reads stale.
            final long position = region.laProducerPosition();
            if ((position | detached) < 0) {
                counters.droppedClosed();
                return -1;
            }
            final long next = position + recordLength;
            if (!makeRoom(next)) {
                counters.droppedFull();
                return -1;
            }
            final int slot = (int) (position & mask);
            // Acquire pairs with another claimer's CAS of its busy header into this slot (its length is then ours to
            // read when we help it).
            final long seen = region.laHeader(slot);
            if (isClaimedAt(seen, position)) {
                // Someone took this slot and has not moved the position yet: move it for them, then retry.
                region.casProducerPosition(position, position + recordLength(length(seen)));
                continue;
            }
            // The position is still this one, so `seen` is what the slot held while nobody had claimed it: a stale
            // value of an earlier lap (the position only grows, so "unchanged" means "unchanged throughout").
            if (region.laProducerPosition() != position) {
                continue;
            }
            // Volatile CAS: takes the slot; fails if another claimer took it first (it wrote its own busy header).
            if (!region.casHeader(slot, seen, header(STATE_BUSY, size) | mode.tag(position))) {
                continue;
            }
            // Fails only if a helper moved it for us, or the stream ended in between.
            if (!region.casProducerPosition(position, next)
                    && (region.laProducerPosition() & ~CLOSED_BIT) == position) {
                // Ended before our claim was published: the slot is past the final producer position, nobody reads it.
                counters.droppedClosed();
                return -1;
            }
            return position;
        }
    }

    /** A busy header of the lap of {@code position}: a claim in flight at the producer position. */
    private boolean isClaimedAt(long header, long position) {
        return state(header) == STATE_BUSY && (header & LAP_TAG_MASK) == mode.tag(position)
                && length(header) >= 0 && length(header) <= maxRecordSize;
    }

    /**
     * Advances the overwrite position until {@code next - overwritePosition <= C - 1}.
     *
     * @return false if a busy record, or the record the consumer is reading, is in the way
     */
    private boolean makeRoom(long next) {
        final RingRegion region = this.region;
        while (true) {
            // Acquire pairs with the CAS that advanced it (whose header reads came before) and with the consumer's
            // pinning CAS: the reading position it stored before pinning is visible below.
            final long word = region.laOverwriteWord();
            final long overwrite = word & ~OVERWRITE_PINNED;
            if (next - overwrite <= maxLead) {
                return true;
            }
            // Below the producer position (next - overwrite > C - 1 >= record length), so a header of this lap.
            // Acquire pairs with the release (or CAS) that committed or discarded it.
            final long header = region.laHeader((int) (overwrite & mask));
            if (region.laOverwriteWord() != word) {
                continue; // someone passed it meanwhile: its slot may already hold a newer record
            }
            final int state = state(header);
            if (state != STATE_COMMITTED && state != STATE_DISCARDED) {
                return false; // busy (the kernel's pending position): only its producer can finish it
            }
            mode.checkRecord(header, overwrite); // a ring file validates the tag and length it is about to trust
            final long end = overwrite + recordLength(length(header));
            if (word < 0 && end > region.laReadingPosition()) {
                // Pinned. Acquire pairs with the consumer's release of its reading position: the record bytes it read
                // before moving the position on are read before we overwrite them. Everything below the reading
                // position was read, so a record passed while pinned is not counted.
                return false; // the record being read (or not yet released) is in the way
            }
            // Volatile CAS keeps the pin bit; fails if another producer passed the record or the consumer (un)pinned.
            // Volatile CAS keeps the pin bit; fails if another producer passed the record or the consumer pinned,
            // unpinned or moved the word. Unpinned, the word is at least the read position (the consumer lifts its
            // pin by moving the word up to what it read, so a pin cycle that read this record changes the word and
            // fails this CAS): a record passed while unpinned was never read, committed or discarded, and counts.
            if (region.casOverwriteWord(word, end | (word & OVERWRITE_PINNED)) && word >= 0) {
                region.gaaOverwrittenCount();
            }
        }
    }
}
