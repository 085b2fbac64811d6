package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.HEADER_LENGTH;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;

/**
 * An in-process ring built with a {@link RingBufferBuilder#stallTimeout(java.time.Duration) stall timeout}: the
 * consumer abandons a record that stays busy for the timeout (a producer that reserved and never committed), counts
 * it as abandoned and goes on, as a ring file's consumer does. Abandoning is only safe when a commit cannot land on
 * a record the consumer already gave up, so this mode commits by CAS from the record's own busy header, and headers
 * carry a lap tag (a late commit cannot match a newer record at the same offset). Rings built without a stall
 * timeout keep {@link InProcessMode}'s plain release store.
 */
final class AbandoningInProcessMode extends InProcessMode {

    private final int capacityShift;
    private final int mask;
    private final long stallTimeoutNanos;

    AbandoningInProcessMode(String name, RingRegion region, WakeupSignal signal, int capacity,
            long stallTimeoutNanos) {
        super(name, region, signal, stallTimeoutNanos);
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.mask = capacity - 1;
        this.stallTimeoutNanos = stallTimeoutNanos;
    }

    @Override
    long tag(long position) {
        return (position >>> capacityShift) << RingLayout.LAP_TAG_SHIFT;
    }

    /**
     * A header must carry its lap tag: a producer that stalled past the timeout and wrote into its payload afterwards
     * may have hit the header of a newer record in that space; this names the damage instead of following it.
     */
    @Override
    boolean checkRecord(long header, long position) {
        if ((header & RingLayout.LAP_TAG_MASK) != tag(position)) {
            throw new IllegalStateException("ring '" + name + "' is corrupted: record header 0x"
                    + Long.toHexString(header) + " at position " + position + " does not carry its lap tag "
                    + (position >>> capacityShift) + " (a producer wrote into its reservation after the consumer had "
                    + "abandoned it at the stall timeout of " + stallTimeoutNanos / 1_000_000 + " ms?)");
        }
        return true;
    }

    @Override
    void publishHeader(int headerOffset, long header) {
        final long busy = RingLayout.withState(header, STATE_BUSY);
        // CAS from our own busy header (lap tag included): either the commit wins and the consumer reads the record
        // (the CAS's release pairs with the consumer's acquire of the header, as the plain mode's store does), or the
        // consumer's abandoning CAS in onHeadOfLine won and this commit fails, writing nothing.
        final long witness = region.caeHeader(headerOffset, busy, header);
        if (witness != busy) {
            throw new IllegalStateException("record at offset " + (headerOffset + HEADER_LENGTH) + " of ring '" + name
                    + "' is no longer a live reservation (header 0x" + Long.toHexString(witness) + "): it stayed busy "
                    + "for more than the stall timeout of " + stallTimeoutNanos / 1_000_000 + " ms, so the consumer "
                    + "abandoned it (counted in abandonedRecords()) and delivered the records behind it; this commit "
                    + "or discard was too late and changed nothing (or it was committed or discarded twice)");
        }
    }

    @Override
    long onHeadOfLine(long position, long header, long since) {
        if (System.nanoTime() - since < stallTimeoutNanos) {
            return 0;
        }
        // Volatile CAS busy -> discarded: serialises with the producer's commit CAS on the same word.
        final long abandoned = RingLayout.withState(header, STATE_DISCARDED);
        if (!region.casHeader((int) (position & mask), header, abandoned)) {
            return -1; // committed (or discarded) meanwhile: read it normally
        }
        return recordLength(length(header));
    }

    @Override
    boolean abandonsStuckRecords() {
        return true;
    }

    @Override
    long abandonedRecords() {
        return region.loAbandonedCount();
    }

    /** Waits as the plain mode does, but also returns once the record holding the consumer reaches the timeout. */
    @Override
    boolean awaitData(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException {
        for (;;) {
            final long blocked = consumer.blockedNanos();
            if (blocked >= stallTimeoutNanos) {
                return true; // the next consume abandons it
            }
            final long now = System.nanoTime();
            final long until = blocked > 0 && stallTimeoutNanos - blocked < deadline - now
                    ? now + (stallTimeoutNanos - blocked) : deadline;
            if (signal.await(consumer, blocker, until)) {
                return true;
            }
            if (until == deadline || consumer.isEndedAndRead()) {
                return false;
            }
        }
    }
}
