package dev.ringbuf.core;

/**
 * An in-process ring built with a {@link RingBufferBuilder#stallTimeout(java.time.Duration) stall timeout}: the
 * consumer abandons a record that stays busy for the timeout (a producer that reserved and never committed), counts
 * it as abandoned and goes on, as a ring file's consumer does. Abandoning is only safe when nothing a stalled producer
 * does afterwards can land on a newer record, so this kind takes a ring file's header discipline whole
 * ({@link LapTaggedHeaders}): lap-tagged headers, puts checked against the reservation's own header (a late put is
 * refused with a message), busy header and commit by CAS, claimed space checked free, every header validated by the
 * consumer, and an abandon step that skips only a validated length. Memory, guard and wakeups stay in-process.
 */
final class AbandoningInProcessMode extends InProcessMode {

    private final LapTaggedHeaders headers;

    AbandoningInProcessMode(String name, RingRegion region, WakeupSignal signal, int capacity, int maxRecordSize,
            long stallTimeoutNanos) {
        super(name, region, signal, stallTimeoutNanos);
        this.headers = new LapTaggedHeaders("ring '" + name + "'", region, capacity, maxRecordSize,
                stallTimeoutNanos, RingFileSize.NONE);
    }

    @Override
    long tag(long position) {
        return headers.tag(position);
    }

    @Override
    boolean isClaimable(long position, long recordLength) {
        return headers.isClaimable(position, recordLength);
    }

    @Override
    void writeBusyHeader(int headerOffset, long busy, long position) {
        headers.writeBusyHeader(headerOffset, busy, position);
    }

    @Override
    void publishHeader(int headerOffset, long header) {
        headers.publishHeader(headerOffset, header);
    }

    @Override
    boolean checksReservations() {
        return true;
    }

    @Override
    void checkReserved(int headerOffset, long busy, long position) {
        headers.checkReserved(headerOffset, busy, position);
    }

    @Override
    boolean checkRecord(long header, long position) {
        return headers.checkRecord(header, position);
    }

    @Override
    boolean isReserved(long position, long header) {
        return headers.isReserved(position, header);
    }

    @Override
    long onHeadOfLine(long position, long header, long since) {
        return headers.onHeadOfLine(position, header, since);
    }

    @Override
    boolean abandonsStuckRecords() {
        return true;
    }

    @Override
    long abandonedRecords() {
        return region.loAbandonedCount();
    }

    /** Waits as the plain kind does, but also returns once the record holding the consumer reaches the timeout. */
    @Override
    boolean awaitData(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException {
        final long stallTimeoutNanos = stallTimeoutNanos();
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
