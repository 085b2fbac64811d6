package dev.ringbuf.core;

/**
 * Where and since when the consumer has been stopped by a busy record: written by the consumer only when it stops
 * at one (never per record), read by anyone ({@link RingBuffer#blockedNanos()}). A ring file's stall timeout runs on
 * this clock. The clock restarts when the record or its header changes (a claimed record whose producer writes its
 * busy header has just shown a sign of life).
 */
final class BlockedClock {

    // Volatile: written on the consumer's slow path only; a reader pairs since with position and header, re-reading
    // since to detect a change in between.
    private volatile long position = -1;
    private volatile long header;
    private volatile long since;

    /**
     * The consumer stopped at {@code position} with {@code header}: the time it first did.
     *
     * @return {@link System#nanoTime()} of the first stop at this record with this header
     */
    long since(long position, long header) {
        if (this.position != position || this.header != header) {
            final long now = System.nanoTime();
            this.since = 0; // readers see no pair while it changes
            this.position = position;
            this.header = header;
            this.since = now;
            return now;
        }
        return since;
    }

    void reset() {
        since = 0;
        position = -1;
    }

    /**
     * How long the consumer has been stopped at {@code readPosition}, whose header now reads {@code header}.
     *
     * @return nanoseconds, 0 if it is not stopped there by that record
     */
    long nanos(long readPosition, long header) {
        final long start = since;
        if (start == 0 || position != readPosition || this.header != header || since != start) {
            return 0;
        }
        return Math.max(0, System.nanoTime() - start);
    }
}
