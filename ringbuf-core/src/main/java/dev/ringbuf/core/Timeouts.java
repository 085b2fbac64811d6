package dev.ringbuf.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The one conversion of a {@link Duration} timeout into nanoseconds and a {@link System#nanoTime()} deadline, used by
 * every waiting method of ringbuf (core and reactor alike). It saturates: a negative timeout means "do not wait", and
 * a timeout too long for a {@code long} of nanoseconds ({@code Duration.ofMillis(Long.MAX_VALUE)},
 * {@code ChronoUnit.FOREVER.getDuration()}) means {@link #MAX_NANOS}, about 146 years, instead of throwing
 * {@link ArithmeticException}.
 *
 * <pre>{@code
 * long deadline = Timeouts.deadline(timeout);
 * while (!done() && deadline - System.nanoTime() > 0) { ... }   // compare by subtraction: never wraps wrong
 * }</pre>
 */
public final class Timeouts {

    /**
     * The longest timeout, in nanoseconds: half the {@code long} range, so that a deadline {@code now + MAX_NANOS}
     * still compares correctly by subtraction ({@code deadline - System.nanoTime() > 0}) even where it wraps.
     */
    public static final long MAX_NANOS = Long.MAX_VALUE >> 1;

    private Timeouts() {
    }

    /**
     * A timeout in nanoseconds, saturated.
     *
     * @param timeout the timeout
     * @return 0 for a zero or negative timeout, {@link #MAX_NANOS} for one that long or longer, else its nanoseconds
     * @throws NullPointerException if {@code timeout} is null
     */
    public static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        if (timeout.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
            return MAX_NANOS;
        }
        return Math.min(timeout.toNanos(), MAX_NANOS);
    }

    /**
     * The deadline of a timeout that starts now, in {@link System#nanoTime()} terms.
     *
     * @param timeout the timeout
     * @return {@code System.nanoTime() + toNanos(timeout)}: compare it by subtraction
     * @throws NullPointerException if {@code timeout} is null
     */
    public static long deadline(Duration timeout) {
        final long nanos = toNanos(timeout);
        return System.nanoTime() + nanos;
    }
}
