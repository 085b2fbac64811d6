package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.OVERWRITE_PINNED;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.header;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;
import static dev.ringbuf.core.RingLayout.state;

import java.util.concurrent.ThreadLocalRandom;

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
 * <p>Nobody zeroes space in this mode, so a slot about to be claimed still holds bytes of an earlier lap, and a
 * claim must never publish a producer position over a slot that reads stale. As in the kernel (which takes the
 * ring's spinlock to reserve), claims take a short lock: under it a producer makes room, writes its busy header and
 * only then moves the producer position. Commits, discards and the consumer take no lock. The lock is a word in the
 * region, so it works across processes; a waiter takes it over from a holder that kept it past a ring file's stall
 * timeout (a producer process that died inside the few instructions of a claim).
 */
final class OverwriteProducerPath extends ProducerPath {

    private final long maxLead;
    /** Makes this handle's lock tokens differ from another process's. */
    private final long tokenBase = ThreadLocalRandom.current().nextLong();
    /** After how long a lock held by one holder all along is taken over ({@link RingMode#claimLockBreakNanos}). */
    private final long breakNanos;

    OverwriteProducerPath(String name, RingRegion region, RingMode mode, RingCounters counters, WakeupSignal signal,
            SpaceWaiters spaceWaiters, int capacity, int maxRecordSize) {
        super(name, region, mode, counters, signal, spaceWaiters, capacity, maxRecordSize); // the shared fields
        this.maxLead = capacity - 1L;
        this.breakNanos = mode.claimLockBreakNanos();
    }

    @Override
    long claim(int size, boolean count) {
        if (size < 0 || size > maxRecordSize) {
            counters.droppedOversize();
            throw new IllegalArgumentException("record size " + size + " must be between 0 and maxRecordSize "
                    + maxRecordSize + " of ring '" + name + "'");
        }
        final RingRegion region = this.region;
        final long recordLength = recordLength(size);
        final long detached = isDetached() ? CLOSED_BIT : 0L;
        final long token = lock();
        try {
            // Acquire pairs with the previous holder's CAS of the producer position: every header below it is
            // written. Under the lock only end() (the closed bit) changes it besides us.
            final long position = region.laProducerPosition();
            if ((position | detached) < 0) {
                return closed(count);
            }
            final long next = position + recordLength;
            if (!makeRoom(next)) {
                return full(count);
            }
            final int slot = (int) (position & mask);
            final long busy = header(STATE_BUSY, size) | headers.tag(position);
            // Dead space (the overwrite position passed it a lap ago) that only the lock holder writes. A CAS from
            // what it holds, after checking the lock is still ours: a holder whose lock was taken over (a process
            // stopped past the stall timeout) then does not write into a slot claimed since.
            final long stale = region.laHeader(slot);
            if (region.loClaimLock() != token || !region.casHeader(slot, stale, busy)) {
                return full(count);
            }
            // Volatile CAS (a release): the busy header is visible to whoever acquires the new position, so no slot
            // below the producer position ever reads stale. Fails if the stream ended meanwhile.
            if (!region.casProducerPosition(position, next)) {
                region.casHeader(slot, busy, stale); // past the final producer position: nobody reads it
                return region.laProducerPosition() < 0 ? closed(count) : full(count);
            }
            return position;
        } finally {
            // Volatile CAS (a release, for the next holder), not a store: after a takeover the lock is someone else's.
            region.casClaimLock(token, 0L);
        }
    }

    /** Takes the claim lock. @return this claim's token */
    private long lock() {
        final long token = (tokenBase ^ (Thread.currentThread().getId() * 0x9E3779B97F4A7C15L)) | 1L;
        // Volatile CAS (an acquire): pairs with the previous holder's releasing CAS; its writes are visible to us.
        if (!region.casClaimLock(0L, token)) {
            lockContended(token);
        }
        return token;
    }

    private void lockContended(long token) {
        long holder = 0;
        long since = 0;
        int spins = 0;
        while (true) {
            final long current = region.loClaimLock();
            if (current == 0) {
                if (region.casClaimLock(0L, token)) {
                    return;
                }
            } else if (current != holder) {
                holder = current;
                since = breakNanos == Long.MAX_VALUE ? 0 : System.nanoTime();
            } else if (breakNanos != Long.MAX_VALUE && System.nanoTime() - since > breakNanos
                    && region.casClaimLock(current, token)) {
                return; // held by the same holder past the stall timeout: its process died holding it
            }
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
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
            if (!headers.checkRecord(header, overwrite)) { // a ring file validates the tag and length it is about to trust
                continue; // it cleaned a stalled producer's late write: look again
            }
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

    private long full(boolean count) {
        if (count) {
            counters.droppedFull();
        }
        return FULL;
    }

    private long closed(boolean count) {
        if (count) {
            counters.droppedClosed();
        }
        return CLOSED;
    }

    /**
     * A woken waiter's attempt: an overwrite ring never runs out of space, it overwrites, so a waiter claims as any
     * producer does; only a busy record (or the one the consumer is reading) in the way makes it wait, until the
     * consumer next frees space (or its deadline).
     */
    @Override
    long claimWaiting(int size) {
        return claim(size, false); // FULL and CLOSED are CLAIM_FULL and CLAIM_CLOSED
    }
}
