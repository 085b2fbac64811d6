package dev.ringbuf.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A ring in this process's memory: the region is private to the JVM, so no consumer position needs validating, the
 * consumer guard and the wakeup are heap objects, and no other process needs a doorbell. The three in-process kinds
 * differ only in the header part they are assembled with ({@link #plain}, {@link #overwrite}, {@link #stallTimeout}):
 * a stuck record is abandoned only by the stall-timeout kind, whose headers are a ring file's
 * ({@link LapTaggedHeaders}).
 */
final class InProcessMode extends RingMode {

    final String name;
    final RingRegion region;
    final WakeupSignal signal;
    /** After how long a busy record is abandoned (stall-timeout kind), or may hold an ended stream (the others). */
    private final long stallTimeoutNanos;
    /** Whether a busy record is abandoned at the stall timeout: the stall-timeout kind. */
    private final boolean abandons;
    /** One consumer at a time: a padded flag of its own, off the lines producers read. */
    private final ConsumerGuard guard = new ConsumerGuard();

    private InProcessMode(String name, RingRegion region, WakeupSignal signal, long stallTimeoutNanos,
            RingHeaders headers, boolean abandons) {
        super(headers);
        this.name = name;
        this.region = region;
        this.signal = signal;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.abandons = abandons;
    }

    /** In process, never abandoning: plain, untagged headers. */
    static InProcessMode plain(String name, RingRegion region, WakeupSignal signal, int capacity,
            long stallTimeoutNanos) {
        return new InProcessMode(name, region, signal, stallTimeoutNanos, new PlainHeaders(region, capacity, false),
                false);
    }

    /** In process, overwrite mode: plain headers with the lap tag (overwrite never zeroes space). */
    static InProcessMode overwrite(String name, RingRegion region, WakeupSignal signal, int capacity,
            long stallTimeoutNanos) {
        return new InProcessMode(name, region, signal, stallTimeoutNanos, new PlainHeaders(region, capacity, true),
                false);
    }

    /**
     * In process with a stall timeout: the consumer abandons a record that stays busy for the timeout, so the
     * headers are a ring file's, lap-tagged with checked puts and commit ({@link LapTaggedHeaders}).
     */
    static InProcessMode stallTimeout(String name, RingRegion region, WakeupSignal signal, int capacity,
            int maxRecordSize, long stallTimeoutNanos) {
        return new InProcessMode(name, region, signal, stallTimeoutNanos, new LapTaggedHeaders("ring '" + name + "'",
                region, capacity, maxRecordSize, stallTimeoutNanos, RingFileSize.NONE), true);
    }

    @Override
    long stallTimeoutNanos() {
        return stallTimeoutNanos;
    }

    @Override
    boolean abandonsStuckRecords() {
        return abandons;
    }

    @Override
    void checkConsumerPosition(long producerBefore, long consumer) {
        // Only this JVM writes the region: a consumer position is what the consumer published.
    }

    @Override
    void ringDoorbell() {
        // No other process can consume an in-process ring.
    }

    @Override
    void ringDoorbellOnEnd() {
        // No other process can consume an in-process ring.
    }

    @Override
    void acquireConsumer(ConsumerPath consumer) {
        if (!guard.tryAcquire()) {
            throw new IllegalStateException("ring '" + name + "' already has an active consumer: a ring has a single "
                    + "consumer, and consume, read, releaseTo and awaitData must not run concurrently");
        }
    }

    @Override
    void releaseConsumer() {
        guard.release();
    }

    @Override
    void beforeFree(long consumerPosition, long position) {
    }

    @Override
    void afterFree(long position) {
    }

    /** Parks until a producer's signal; the stall-timeout kind also returns once the blocking record times out. */
    @Override
    boolean awaitData(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException {
        if (!abandons) {
            return signal.await(consumer, blocker, deadline);
        }
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

    @Override
    void listenerChanged(WakeupListener listener) {
        // Producers call the listener directly.
    }

    @Override
    boolean ownsStream() {
        return true;
    }

    @Override
    void detach() {
    }

    @Override
    long abandonedRecords() {
        return region.loAbandonedCount(); // 0 unless the kind abandons
    }

    @Override
    Optional<Path> file() {
        return Optional.empty();
    }
}
