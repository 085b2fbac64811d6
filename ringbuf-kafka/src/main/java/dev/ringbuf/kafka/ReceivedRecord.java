package dev.ringbuf.kafka;

import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record from {@link RingKafkaReceiver}: the Kafka record, and {@link #acknowledge()} to say it was processed.
 * Commits never pass a record that was not acknowledged, so such a record is delivered again after a crash, a
 * cancel or a rebalance (at-least-once).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReceivedRecord<K, V> {

    private final ConsumerRecord<K, V> record;
    private final AcknowledgedOffsets.Partition offsets;

    ReceivedRecord(ConsumerRecord<K, V> record, AcknowledgedOffsets.Partition offsets) {
        this.record = Objects.requireNonNull(record, "record must not be null");
        this.offsets = offsets;
    }

    /**
     * The Kafka record: topic, partition, offset, timestamp, headers, key and value.
     *
     * @return the Kafka record: topic, partition, offset, timestamp, headers, key and value
     */
    public ConsumerRecord<K, V> record() {
        return record;
    }

    /**
     * The record's key.
     *
     * @return the record's key
     */
    public K key() {
        return record.key();
    }

    /**
     * The record's value.
     *
     * @return the record's value
     */
    public V value() {
        return record.value();
    }

    /**
     * The record's topic and partition.
     *
     * @return the record's topic and partition
     */
    public TopicPartition topicPartition() {
        return offsets.topicPartition;
    }

    /**
     * The record's offset in its partition.
     *
     * @return the record's offset in its partition
     */
    public long offset() {
        return record.offset();
    }

    /**
     * Marks this record processed. Acknowledge in any order (deferred commits): the receiver's poll thread commits,
     * per partition, up to the oldest record not yet acknowledged (within the commit interval, and before a
     * rebalance or cancel gives the partition up), never past it. After a partition was revoked, acknowledging its
     * records does nothing (the new owner receives them again). Thread-safe, idempotent.
     */
    public void acknowledge() {
        offsets.acknowledge(record.offset());
    }

    @Override
    public String toString() {
        return "ReceivedRecord[" + offsets.topicPartition + "@" + record.offset() + "]";
    }
}
