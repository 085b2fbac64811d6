package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Serializes a ring {@link Record} view into the bytes Kafka sends: the one copy between the ring and the
 * producer's batch. The relay calls it inside {@code KafkaProducer.send}, while the record is still held (not
 * released), so the view is valid; nothing copies the record before it.
 *
 * <pre>{@code
 * RingKafkaRelay relay = RingKafkaRelay.builder(ring, producerProperties)   // values: RecordSerializer
 *         .topic("events")
 *         .start();
 * }</pre>
 */
public final class RecordSerializer implements Serializer<Record> {

    /** Creates the serializer (stateless; one instance may serve any number of producers). */
    public RecordSerializer() {
    }

    /**
     * The record's payload bytes.
     *
     * @param topic the topic (unused)
     * @param record a record view that has not been released, or null
     * @return a new array with the payload, or null for a null record (a Kafka tombstone)
     * @throws IllegalStateException if the view was released already
     */
    @Override
    public byte @Nullable [] serialize(String topic, @Nullable Record record) {
        return record == null ? null : record.toByteArray();
    }
}
