package dev.ringbuf.kafka;

import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears a receiver's partitions being assigned or revoked, on its poll thread inside Kafka's rebalance callback,
 * with the consumer: {@code seek}, {@code position} and {@code committed} may be called on it there (and only there:
 * a Kafka consumer is not thread-safe; {@link RingKafkaReceiver#doOnConsumer} runs code on it at other times).
 *
 * <pre>{@code
 * builder.onAssigned((consumer, partitions) -> consumer.seekToBeginning(partitions))
 * }</pre>
 */
@FunctionalInterface
public interface PartitionsListener {

    /**
     * Called with the partitions assigned (after the receiver's own handling) or revoked (after the receiver
     * committed their acknowledged offsets).
     *
     * @param consumer the receiver's consumer
     * @param partitions the partitions
     */
    void onPartitions(Consumer<?, ?> consumer, Collection<TopicPartition> partitions);
}
