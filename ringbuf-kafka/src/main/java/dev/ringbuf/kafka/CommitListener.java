package dev.ringbuf.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears the result of each commit of a {@link RingKafkaReceiver}, on its poll thread (counted as {@code
 * ringbuf.kafka.receiver.commits{result=success|failure}} too). A failed commit is not retried as such: the next
 * commit carries the same offsets or later ones.
 */
@FunctionalInterface
public interface CommitListener {

    /**
     * A commit ended.
     *
     * @param offsets the offsets it committed (the next offset to read, per partition)
     * @param error null on success, else why it failed
     */
    void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets, Exception error);
}
