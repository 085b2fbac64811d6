package dev.ringbuf.kafka;

import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record from {@link RingKafkaReceiver}: the Kafka record, and {@link #acknowledge()} to say it was processed.
 * Only acknowledged offsets are committed, so a record that was not acknowledged before a crash, a cancel or a
 * rebalance is delivered again (at-least-once).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReceivedRecord<K, V> {

    private final ConsumerRecord<K, V> record;
    private final AcknowledgedOffsets offsets;
    private final TopicPartition partition;

    ReceivedRecord(ConsumerRecord<K, V> record, TopicPartition partition, AcknowledgedOffsets offsets) {
        this.record = Objects.requireNonNull(record, "record must not be null");
        this.partition = partition;
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
        return partition;
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
     * Marks this record processed: its offset + 1 is committed for its partition by the receiver's poll thread
     * (within the commit interval, and before a rebalance or cancel gives the partition up). Acknowledging a record
     * also acknowledges every earlier record of its partition: acknowledge in order. Thread-safe, idempotent.
     */
    public void acknowledge() {
        offsets.acknowledge(partition, record.offset() + 1);
    }

    @Override
    public String toString() {
        return "ReceivedRecord[" + partition + "@" + record.offset() + "]";
    }
}
