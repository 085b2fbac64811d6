package dev.ringbuf.core;

import java.time.Duration;

/**
 * The rules for a ring file's stall timeout: how long the consumer waits at a busy record before abandoning it.
 *
 * <p>The floor, {@link RingBufferBuilder#MIN_STALL_TIMEOUT}, is far above the time a running producer needs between
 * reserve and commit (microseconds) and above ordinary scheduling delays and safepoint pauses on a loaded machine
 * (milliseconds to tens of milliseconds), so that a timeout at the floor abandons only producers that died or stopped.
 * A producer whose pauses can be longer (full GCs of a large heap, swapping) needs a longer timeout: the default is
 * 10 seconds. The timeout is recorded in the file when it is created, and every process that opens the file uses
 * that one.
 */
final class StallTimeout {

    private StallTimeout() {
    }

    /**
     * Validates a stall timeout.
     *
     * @param timeout the timeout
     * @throws IllegalArgumentException naming the value and the floor
     */
    static void check(Duration timeout) {
        if (timeout.compareTo(RingBufferBuilder.MIN_STALL_TIMEOUT) < 0) {
            throw new IllegalArgumentException("stallTimeout " + timeout + " is below the floor of "
                    + RingBufferBuilder.MIN_STALL_TIMEOUT + ": a shorter timeout would abandon the records of "
                    + "healthy producers that are only descheduled or paused");
        }
    }

    /** Whether a timeout read from a file is acceptable: at least the floor. */
    static boolean isValid(long nanos) {
        return nanos >= RingBufferBuilder.MIN_STALL_TIMEOUT.toNanos();
    }

    /** "10 s", "250 ms": for messages. */
    static String describe(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        return Duration.ofNanos(nanos).toString();
    }
}
