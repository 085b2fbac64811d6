package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A ring's drops and consumption over a fixed window ({@code ringbuf.health.window}), for its health indicator.
 *
 * <p>Each call samples the ring's counters and measures against the newest sample at least one window old, so two
 * calls in a row see (nearly) the same rate, whatever the interval between them. Until the indicator is one window
 * old, the measure covers the time since it was made; when health is checked less often than once a window, it
 * covers the time since the previous check. {@link Measure#seconds()} says which span was measured. A sample is
 * kept only every {@code window / 32}, so at most about 34 are held, however often health is checked. Nothing is
 * added to the ring's own paths: its counters are read when health is asked for.
 */
final class DropWindow {

    private static final int SAMPLES_PER_WINDOW = 32;

    private final RingState ring;
    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final long sampleEveryNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    DropWindow(RingState ring, Duration window, LongSupplier nanoClock) {
        this.ring = ring;
        this.nanoClock = nanoClock;
        this.windowNanos = window.toNanos();
        this.sampleEveryNanos = Math.max(1, windowNanos / SAMPLES_PER_WINDOW);
        samples.add(sample());
    }

    /**
     * Samples the ring and measures the window that ends now.
     *
     * @return the drops and the consumption over the window
     */
    synchronized Measure measure() {
        final Sample now = sample();
        // The baseline: the newest sample at least one window old, else the oldest one (the indicator's start).
        while (samples.size() > 1 && now.nanos - secondOldest().nanos >= windowNanos) {
            samples.removeFirst();
        }
        final Sample baseline = samples.getFirst();
        if (now.nanos - samples.getLast().nanos >= sampleEveryNanos) {
            samples.addLast(now);
        }
        final double seconds = Math.max(now.nanos - baseline.nanos, 1) / 1e9;
        final Map<String, Double> rates = new LinkedHashMap<>();
        long dropped = 0;
        for (DropReason reason : DropReason.values()) {
            final long delta = now.dropped[reason.ordinal()] - baseline.dropped[reason.ordinal()];
            dropped += delta;
            rates.put(reason.tag(), round(delta / seconds));
        }
        return new Measure(rates, dropped, now.consumed - baseline.consumed, round(seconds));
    }

    private Sample secondOldest() {
        final var it = samples.iterator();
        it.next();
        return it.next();
    }

    private Sample sample() {
        final long[] dropped = new long[DropReason.values().length];
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = ring.droppedRecords(reason);
        }
        return new Sample(nanoClock.getAsLong(), ring.consumedRecords(), dropped);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The ring's counters at one instant. */
    private record Sample(long nanos, long consumed, long[] dropped) {
    }

    /**
     * One window's measure.
     *
     * @param perSecond records dropped per second, by reason tag ({@code full}, {@code closed}, {@code oversize})
     * @param dropped records dropped in the window, every reason
     * @param consumed records consumed in the window
     * @param seconds the span measured, in seconds
     */
    record Measure(Map<String, Double> perSecond, long dropped, long consumed, double seconds) {
    }
}
