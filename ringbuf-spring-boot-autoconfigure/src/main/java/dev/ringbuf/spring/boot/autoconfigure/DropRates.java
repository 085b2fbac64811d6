package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A ring's drop rate per reason, in records per second, over the interval since the previous call (the first call:
 * since this object was made). Health checks call it; nothing is added to the ring's own paths.
 */
final class DropRates {

    private final RingState ring;
    private final LongSupplier nanoClock;
    private final long[] previous = new long[DropReason.values().length];
    private long previousNanos;

    DropRates(RingState ring, LongSupplier nanoClock) {
        this.ring = ring;
        this.nanoClock = nanoClock;
        this.previousNanos = nanoClock.getAsLong();
        for (DropReason reason : DropReason.values()) {
            previous[reason.ordinal()] = ring.droppedRecords(reason);
        }
    }

    /**
     * The rates since the previous call, and starts the next interval.
     *
     * @return records per second by reason tag ({@code full}, {@code closed}, {@code oversize})
     */
    synchronized Map<String, Double> perSecond() {
        final long now = nanoClock.getAsLong();
        final double seconds = Math.max(now - previousNanos, 1) / 1e9;
        previousNanos = now;
        final Map<String, Double> rates = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            final long dropped = ring.droppedRecords(reason);
            rates.put(reason.tag(), round((dropped - previous[reason.ordinal()]) / seconds));
            previous[reason.ordinal()] = dropped;
        }
        return rates;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
