package dev.ringbuf.core;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A ring's counters that producers write: drops by reason and wakeups sent. They are incremented only on paths that
 * are already slow (a failed reservation, a wakeup), by producers that may race, so each is a {@link LongAdder}
 * (striped, uncontended). The consumer's counters (consumed, discarded, abandoned) live in the region's consumer
 * line, single-writer, where a ring file persists them ({@link RingRegion#soAddCounts}).
 */
final class RingCounters {

    private final LongAdder droppedFull = new LongAdder();
    private final LongAdder droppedClosed = new LongAdder();
    private final LongAdder droppedOversize = new LongAdder();
    private final LongAdder wakeups = new LongAdder();

    void droppedFull() {
        droppedFull.increment();
    }

    void droppedClosed() {
        droppedClosed.increment();
    }

    void droppedOversize() {
        droppedOversize.increment();
    }

    void wakeup() {
        wakeups.increment();
    }

    long dropped(DropReason reason) {
        switch (Objects.requireNonNull(reason, "reason must not be null")) {
            case FULL:
                return droppedFull.sum();
            case CLOSED:
                return droppedClosed.sum();
            case OVERSIZE:
                return droppedOversize.sum();
            default:
                throw new AssertionError(reason);
        }
    }

    long droppedTotal() {
        return droppedFull.sum() + droppedClosed.sum() + droppedOversize.sum();
    }

    long wakeups() {
        return wakeups.sum();
    }
}
