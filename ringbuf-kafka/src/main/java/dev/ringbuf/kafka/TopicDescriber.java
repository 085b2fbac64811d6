package dev.ringbuf.kafka;

import dev.ringbuf.core.Timeouts;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Describes a topic for the relay's start check: how many partitions it has and the largest message it accepts.
 * The default asks Kafka with an {@link Admin} client made from the producer's connection settings.
 */
interface TopicDescriber extends AutoCloseable {

    /**
     * A topic as the start check needs it.
     *
     * @param partitions the partition count, 0 if the topic does not exist
     * @param maxMessageBytes the topic's {@code max.message.bytes}, or -1 if it could not be read
     */
    record TopicInfo(int partitions, long maxMessageBytes) {
    }

    /**
     * Describes {@code topic}.
     *
     * @param topic the topic
     * @param timeout how long to wait for Kafka
     * @return the topic (partitions 0 if it does not exist)
     * @throws java.util.concurrent.TimeoutException if Kafka did not answer in time (the check waits and retries)
     * @throws Exception for another failure (the relay fails)
     */
    TopicInfo describe(String topic, Duration timeout) throws Exception;

    @Override
    void close();

    /** The default: an Admin client with the producer's connection settings, closed once the check is done. */
    static TopicDescriber admin(Map<String, Object> producerConfig) {
        final Map<String, Object> config = new HashMap<>();
        producerConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, producerConfig.get("client.id") + "-check");
        final Admin admin = Admin.create(config);
        return new TopicDescriber() {
            @Override
            public TopicInfo describe(String topic, Duration timeout) throws Exception {
                final long deadline = Timeouts.deadline(timeout);
                final int partitions;
                try {
                    partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(Timeouts.toNanos(timeout), TimeUnit.NANOSECONDS).get(topic).partitions().size();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        return new TopicInfo(0, -1);
                    }
                    throw e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeoutError
                            ? new java.util.concurrent.TimeoutException(timeoutError.getMessage()) : e;
                }
                final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                try {
                    final Config topicConfig = admin.describeConfigs(List.of(resource)).all()
                            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).get(resource);
                    final ConfigEntry entry = topicConfig.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    return new TopicInfo(partitions, entry == null || entry.value() == null ? -1
                            : Long.parseLong(entry.value()));
                } catch (ExecutionException e) {
                    return new TopicInfo(partitions, -1); // not allowed to read configs: the size check is skipped
                }
            }

            @Override
            public void close() {
                admin.close(Duration.ofSeconds(5));
            }
        };
    }
}
