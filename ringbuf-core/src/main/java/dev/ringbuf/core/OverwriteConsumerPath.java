package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.OVERWRITE_PINNED;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;
import static dev.ringbuf.core.RingLayout.state;

import java.lang.invoke.VarHandle;

/**
 * The consumer's half in overwrite mode, chosen once when the ring is built: a consumer that never delivers a torn,
 * half-overwritten or repeated record, and never lets a record be overwritten while a handler holds it.
 *
 * <h2>The pin</h2> For the length of a consume or read call the consumer <em>pins</em> the overwrite word (bit 63,
 * set with a CAS) after storing its <em>reading position</em>: producers then never advance the overwrite position
 * past the reading position ({@link OverwriteProducerPath}), so every record from there on stays intact, and the
 * loop reads headers and payloads without re-validation. The reading position follows the loop (the record a handler
 * holds) or, with manual release, stays at the oldest unreleased record; it only grows, so a producer that read an
 * older value is only more careful. A producer that finds only that record in its way fails as {@code full}. The
 * pin is lifted when nothing is held any more: at the end of a consume call, or when the last record read is
 * released.
 *
 * <h2>Skipping</h2> Lifting the pin moves the overwrite position up to the read position, so while unpinned every
 * record producers pass is unread, and they count it as overwritten. If they passed the read position, the pin's CAS
 * sees the newer overwrite position and the consumer starts there. So
 * {@code delivered + overwritten + discarded == committed + discarded}, exactly.
 *
 * <h2>Freeing</h2> Nothing is zeroed: space is reclaimed by the overwrite position, not by the consumer position,
 * which only records what was consumed (and what a ring file's next consumer resumes from).
 */
final class OverwriteConsumerPath extends ConsumerPath {

    OverwriteConsumerPath(String name, RingRegion region, RingMode mode, int capacity) {
        super(name, region, mode, capacity, true); // name, region, mode, mask, view, blocked: the consumer's
    }

    @Override
    int batch(ControlledRecordHandler handler, int limit, boolean free) {
        return read(handler, limit, free);
    }

    @Override
    void afterBatch(boolean free) {
        // Nothing is zeroed or freed in overwrite mode: read() moved the positions.
    }

    private int read(ControlledRecordHandler handler, int limit, boolean free) {
        final RingRegion region = this.region;
        final long start = region.lpReadPosition();
        long position = pin(start);
        // With records held (manual release) the reading position stays at the oldest of them; else it follows.
        final boolean follow = free && region.lpConsumerPosition() == position;
        long producer = region.laProducerPosition() & ~CLOSED_BIT;
        long recheckedAt = -1;
        int delivered = 0;
        long discarded = 0;
        long abandoned = 0;
        try {
            while (delivered < limit) {
                if (position >= producer) {
                    if (recheckedAt != position) {
                        // Caught up: publish how far we read, fence, look again: the StoreLoad pair of
                        // ProducerPath.publish, so a DEFAULT commit of the next record sees we caught up and wakes us.
                        region.srReadPosition(position);
                        VarHandle.fullFence();
                        producer = region.laProducerPosition() & ~CLOSED_BIT;
                        recheckedAt = position;
                        continue;
                    }
                    break;
                }
                // Below the producer position and at or above the pinned overwrite position: a header of this lap
                // that no producer may overwrite now. Acquire pairs with the producer's release (or CAS) of it.
                final long header = region.laHeader((int) (position & mask));
                final int state = state(header);
                if (state == STATE_COMMITTED) {
                    if (!headers.checkRecord(header, position)) {
                        continue; // a ring file cleaned a stalled producer's late write: read again
                    }
                    view.point(position);
                    final long at = position;
                    position += recordLength(length(header));
                    delivered++;
                    ControlledRecordHandler.Action action = ControlledRecordHandler.Action.CONTINUE;
                    try {
                        action = handler.onRecord(view);
                    } finally {
                        view.end();
                        if (action == ControlledRecordHandler.Action.ABORT) {
                            position = at;
                            delivered--;
                        }
                        if (follow) {
                            // Release: the handler's reads of this record happen-before a producer that acquires the
                            // new reading position and then overwrites the record (OverwriteProducerPath.makeRoom).
                            region.srReadingPosition(position);
                        }
                    }
                    if (action != ControlledRecordHandler.Action.CONTINUE) {
                        break;
                    }
                } else if (state == STATE_DISCARDED) {
                    if (!headers.checkRecord(header, position)) {
                        continue;
                    }
                    position += recordLength(length(header));
                    discarded++;
                } else if (state == STATE_BUSY || header == 0) {
                    if (recheckedAt != position) {
                        // About to stop at a busy record: the same StoreLoad pair as above.
                        region.srReadPosition(position);
                        VarHandle.fullFence();
                        recheckedAt = position;
                        continue;
                    }
                    if (!headers.isReserved(position, header)) {
                        break;
                    }
                    final long skip = headers.onHeadOfLine(position, header, blocked.since(position, header));
                    if (skip == 0) {
                        break; // head of line: its producer will commit it and wake us
                    }
                    if (skip > 0) {
                        position += skip;
                        abandoned++;
                    }
                    recheckedAt = -1;
                } else {
                    if (!headers.checkRecord(header, position)) {
                        continue;
                    }
                    throw new IllegalStateException("ring '" + name + "' is corrupted: record header 0x"
                            + Long.toHexString(header) + " at position " + position + " has invalid state " + state);
                }
            }
        } finally {
            // Release: producers compare their position to it (DEFAULT wakeups); unpinning moves the overwrite word
            // up to it.
            region.srReadPosition(position);
            region.soAddCounts(delivered, discarded, abandoned);
            if (free) {
                freeTo(position);
            } else {
                settlePin();
            }
        }
        return delivered;
    }

    /**
     * Pins the overwrite word (if it is not pinned already) with the reading position at the read position or, if
     * producers passed it, at the overwrite position. Guard held.
     *
     * @return where to read from
     */
    private long pin(long start) {
        long word = region.laOverwriteWord();
        if (word < 0) {
            // Still pinned: records are held (manual release), or a consumer died pinned (a ring file).
            return skipTo(start, word & ~OVERWRITE_PINNED);
        }
        while (true) {
            final long target = Math.max(start, word);
            // Release, before the pinning CAS: a producer that sees the pin (acquire of the word) sees this bound.
            region.srReadingPosition(target);
            // Volatile CAS: fails if a producer advanced the overwrite position meanwhile; then retry with it.
            if (region.casOverwriteWord(word, word | OVERWRITE_PINNED)) {
                return skipTo(start, word);
            }
            word = region.laOverwriteWord();
        }
    }

    /** Moves the read and consumer positions past records producers overwrote. Guard held. */
    private long skipTo(long start, long overwrite) {
        if (overwrite <= start) {
            return start;
        }
        region.srReadPosition(overwrite);
        publishConsumerPosition(region.lpConsumerPosition(), overwrite);
        return overwrite;
    }

    /** Records the consumer position; nothing is zeroed. Called by releaseTo and after a consume, guard held. */
    @Override
    void freeTo(long position) {
        final long consumerPosition = region.lpConsumerPosition();
        if (position > consumerPosition) {
            publishConsumerPosition(consumerPosition, position);
        }
        settlePin();
    }

    private void publishConsumerPosition(long from, long to) {
        mode.beforeFree(from, to);
        // Release: a ring file's next consumer (and queries) see a consistent position.
        region.srConsumerPosition(to);
        mode.afterFree(to);
        spaceWaiters.onSpaceFreed();
    }

    /** Keeps the pin at the oldest unreleased record, or lifts it when nothing is held. Guard held. */
    private void settlePin() {
        final long consumerPosition = region.lpConsumerPosition();
        if (consumerPosition < region.lpReadPosition()) {
            // Release, as in pin(): the bound only grows (releaseTo moves it up to the oldest unreleased record).
            region.srReadingPosition(consumerPosition);
        } else {
            unpin(region.lpReadPosition());
        }
    }

    /**
     * Lifts the pin and moves the overwrite position up to the read position: what was read needs no passing, and a
     * pin cycle that read anything leaves a different word behind, so a producer that saw the word before the cycle
     * fails its CAS instead of counting a record that was read (ABA).
     */
    private void unpin(long read) {
        long word = region.laOverwriteWord();
        // Volatile CAS: fails if a producer advanced the position (up to the reading position) meanwhile; retry.
        while (!region.casOverwriteWord(word, Math.max(word & ~OVERWRITE_PINNED, read))) {
            word = region.laOverwriteWord();
        }
    }

    @Override
    void resetBlocked() {
        blocked.reset();
    }

    @Override
    boolean isRecordReady() {
        final long read = region.laReadPosition();
        final long position = Math.max(read, region.laOverwriteWord() & ~OVERWRITE_PINNED);
        if (position >= (region.laProducerPosition() & ~CLOSED_BIT)) {
            return false;
        }
        // A hint: unpinned, the header may be overwritten as we read it; a consume call decides under the pin.
        final int state = state(region.laHeader((int) (position & mask)));
        return position != read || state == STATE_COMMITTED || state == STATE_DISCARDED;
    }

    @Override
    long blockedNanos() {
        final long position = region.laReadPosition();
        if (position >= (region.laProducerPosition() & ~CLOSED_BIT)) {
            return 0;
        }
        return blocked.nanos(position, region.laHeader((int) (position & mask)));
    }

    @Override
    long availableData() {
        final long consumerPosition = Math.max(region.laConsumerPosition(),
                region.laOverwriteWord() & ~OVERWRITE_PINNED);
        return (region.laProducerPosition() & ~CLOSED_BIT) - consumerPosition;
    }
}
