package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one ring, as the {@code ringbuf} endpoint shows it.
 *
 * @param name the ring's name (its {@code ring} metric tag)
 * @param capacity bytes of the data area
 * @param maxRecordSize the largest payload of one record
 * @param file the ring file, or null for a ring in process memory
 * @param state {@code open}, {@code closed} (reservations fail, records are still delivered) or {@code drained}
 *     (closed, and every record read)
 * @param producerPosition the end of the last reservation
 * @param consumerPosition the end of the last record whose space the consumer freed
 * @param lag {@code producerPosition - consumerPosition}, bytes
 * @param consumed records delivered to the consumer
 * @param discarded records discarded by their producers
 * @param dropped records dropped, by reason
 * @param wakeups wakeups producers sent to the consumer
 */
public record RingSnapshot(String name, int capacity, int maxRecordSize, @Nullable String file, String state,
        long producerPosition, long consumerPosition, long lag, long consumed, long discarded,
        Map<String, Long> dropped, long wakeups) {

    /**
     * Reads a ring's state.
     *
     * @param ring the ring
     * @return the snapshot
     */
    public static RingSnapshot of(RingBuffer ring) {
        final String state = ring.isClosedAndDrained() ? "drained" : ring.isClosed() ? "closed" : "open";
        final long consumer = ring.consumerPosition();
        final long producer = ring.producerPosition();
        return new RingSnapshot(ring.name(), ring.capacity(), ring.maxRecordSize(),
                ring.file().map(Object::toString).orElse(null), state, producer, consumer, producer - consumer,
                ring.consumedRecords(), ring.discardedRecords(), RingBufferHealthIndicator.dropped(ring),
                ring.wakeups());
    }
}
