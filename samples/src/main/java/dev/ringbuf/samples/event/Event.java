package dev.ringbuf.samples.event;

import java.util.Objects;

/**
 * One synthetic event of the feed: what a producer writes into the ring and what a client receives.
 *
 * @param position the ring position of the record it was decoded from: unique and increasing along the ring, so
 *     it serves as the Server-Sent Events {@code id}
 * @param producer the producer thread that emitted it (0-based)
 * @param sequence the producer's own counter, starting at 0
 * @param timestampMicros when it was emitted, microseconds since the epoch
 * @param type what happened, for example {@code "page.view"}
 * @param value a number that goes with the type (a latency in ms, an amount in cents, ...)
 */
public record Event(long position, int producer, long sequence, long timestampMicros, String type, int value) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code type} is null
     */
    public Event {
        Objects.requireNonNull(type, "type must not be null");
    }
}
