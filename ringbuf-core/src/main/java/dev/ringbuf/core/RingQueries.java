package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@link RingState} half of {@link RingBuffer}: every query reads the region, the mode or the counters, and
 * changes nothing. Kept apart so that the facade holds the producer and consumer contracts and stays small.
 */
abstract class RingQueries implements RingState {

    final String name;
    final int capacity;
    final int maxRecordSize;
    final boolean overwrite;
    final RingRegion region;
    final RingMode mode;
    final RingCounters counters;
    final ConsumerPath consumer;

    RingQueries(String name, RingRegion region, int capacity, int maxRecordSize, RingMode mode, boolean overwrite,
            RingCounters counters, ConsumerPath consumer) {
        this.name = name;
        this.region = region;
        this.capacity = capacity;
        this.maxRecordSize = maxRecordSize;
        this.mode = mode;
        this.overwrite = overwrite;
        this.counters = counters;
        this.consumer = consumer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int maxRecordSize() {
        return maxRecordSize;
    }

    @Override
    public long availableData() {
        return consumer.availableData();
    }

    @Override
    public boolean isOverwrite() {
        return overwrite;
    }

    @Override
    public long overwritePosition() {
        return region.laOverwriteWord() & ~RingLayout.OVERWRITE_PINNED;
    }

    @Override
    public long overwrittenRecords() {
        return region.loOverwrittenCount();
    }

    @Override
    public long consumerPosition() {
        return region.laConsumerPosition();
    }

    @Override
    public long readPosition() {
        return region.laReadPosition();
    }

    @Override
    public long producerPosition() {
        return region.laProducerPosition() & ~CLOSED_BIT;
    }

    @Override
    public long consumedRecords() {
        return region.loConsumedCount();
    }

    @Override
    public long discardedRecords() {
        return region.loDiscardedCount();
    }

    @Override
    public long abandonedRecords() {
        return mode.abandonedRecords();
    }

    @Override
    public long blockedNanos() {
        return consumer.blockedNanos();
    }

    @Override
    public long droppedRecords(DropReason reason) {
        return counters.dropped(reason);
    }

    @Override
    public long droppedRecords() {
        return counters.droppedTotal();
    }

    @Override
    public long wakeups() {
        return counters.wakeups();
    }

    @Override
    public Optional<Duration> stallTimeout() {
        return mode.abandonsStuckRecords() ? Optional.of(Duration.ofNanos(mode.stallTimeoutNanos())) : Optional.empty();
    }

    @Override
    public Optional<Path> file() {
        return mode.file();
    }

    @Override
    public boolean isClosedAndDrained() {
        // Or ended at a record that stayed busy for the stall timeout, which this ring does not abandon (in process,
        // no stall timeout set): nothing more will be delivered (docs/semantics.md, "Stuck reservations").
        return consumer.isEndedAndRead() || region.laProducerPosition() < 0 && !mode.abandonsStuckRecords()
                && consumer.blockedNanos() >= mode.stallTimeoutNanos();
    }
}
