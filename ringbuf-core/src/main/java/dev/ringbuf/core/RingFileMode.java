package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A ring in a memory-mapped file shared by producers and a consumer in several processes: what an in-process ring
 * does with heap objects redone with words in the file, plus the fault handling a ring shared with other processes
 * needs ({@code docs/shared-memory.md}).
 *
 * <ul>
 *   <li>Headers are lap-tagged, puts and commits checked, and a record that stays busy for the stall timeout is
 *       abandoned: {@link LapTaggedHeaders}, the part shared with the in-process stall-timeout kind.</li>
 *   <li>Producers validate every consumer position they read (CVE-2024-41009).</li>
 *   <li>The consumer keeps its guard in the file ({@link RingFileConsumerGuard}).</li>
 *   <li>Waiting is an idle loop, and wakeups reach another process through a doorbell ({@link RingFileWaiting}).</li>
 * </ul>
 */
final class RingFileMode extends RingMode {

    private final Path path;
    private final RingRegion region;
    private final int capacity;
    private final long stallTimeoutNanos;
    private final boolean owner;
    private final RingFileConsumerGuard guard;
    private final RingFileWaiting waiting;
    private final RingFileSize size;

    RingFileMode(String name, Path path, RingRegion region, int capacity, int maxRecordSize, long stallTimeoutNanos,
            boolean owner) {
        this(name, path, region, capacity, maxRecordSize, stallTimeoutNanos, owner,
                new RingFileSize(path, RingLayout.regionLength(capacity, maxRecordSize)));
    }

    private RingFileMode(String name, Path path, RingRegion region, int capacity, int maxRecordSize,
            long stallTimeoutNanos, boolean owner, RingFileSize size) {
        // The lap-tagged header discipline, shared with the in-process stall-timeout kind.
        super(new LapTaggedHeaders("ring file " + path, region, capacity, maxRecordSize, stallTimeoutNanos, size));
        this.size = size;
        this.path = path;
        this.region = region;
        this.capacity = capacity;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.owner = owner;
        this.guard = new RingFileConsumerGuard(path, region, capacity, stallTimeoutNanos, size);
        this.waiting = new RingFileWaiting(name, path, region, stallTimeoutNanos, size);
    }

    // ---------------------------------------------------------------------------------------------- producers

    @Override
    void checkConsumerPosition(long producerBefore, long consumer) {
        // Acquire: ordered after the consumer position, so a legitimate one is never beyond it.
        final long after = region.laProducerPosition() & ~CLOSED_BIT;
        // Legitimately before - (C - 1) <= consumer <= after: the reservation that made `before` saw a consumer
        // position at least that large, and the consumer never passes the producer.
        if ((consumer & (RingLayout.ALIGNMENT - 1)) != 0 || consumer > after
                || consumer < (producerBefore & ~CLOSED_BIT) - (capacity - 1)) {
            throw new IllegalStateException("ring file " + path + " is corrupted: consumer position " + consumer
                    + " is impossible for producer position " + after + " and capacity " + capacity + " (it must be "
                    + "8-aligned, at most the producer position and less than a capacity behind it); refusing to "
                    + "reserve so that no unconsumed record is overwritten");
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

    @Override
    void beforeFree(long consumerPosition, long position) {
        guard.beforeFree(consumerPosition, position);
    }

    @Override
    void afterFree(long position) {
        guard.published(position);
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
