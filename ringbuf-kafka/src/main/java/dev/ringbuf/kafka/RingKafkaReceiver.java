package dev.ringbuf.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import reactor.core.publisher.Flux;

/**
 * Kafka to a {@link Flux}: a consumer-group member whose records are emitted against demand, with backpressure
 * (the assigned partitions are paused while the emitted-but-unrequested buffer covers the demand, and resumed when
 * more is requested) and at-least-once offsets (only {@linkplain ReceivedRecord#acknowledge() acknowledged}
 * offsets are committed).
 *
 * <pre>{@code
 * Flux<ReceivedRecord<byte[], byte[]>> records = RingKafkaReceiver.receive(
 *         Map.of("bootstrap.servers", "kafka:9092", "group.id", "aggregator", "auto.offset.reset", "earliest"),
 *         List.of("events"));
 * records.concatMap(r -> process(r).doOnSuccess(done -> r.acknowledge()))
 *        .subscribe();
 * }</pre>
 *
 * <p>Each subscription creates its own {@code KafkaConsumer} and its own poll thread (a Kafka consumer is not
 * thread-safe), which emits: {@code publishOn} before heavy work, so that the poll thread keeps polling. Cancel
 * commits what was acknowledged, leaves the group and closes the consumer. The Flux does not complete by itself;
 * a consumer error ends it with {@code onError}.
 */
public final class RingKafkaReceiver {

    /** The default longest {@code poll}: 100 ms (also the latency of a cancel when no wakeup is possible). */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    /** The default interval between commits of acknowledged offsets: 1 s. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    private RingKafkaReceiver() {
    }

    /**
     * Byte-array keys and values.
     *
     * @param consumerProperties Kafka consumer properties, at least {@code bootstrap.servers} and {@code group.id};
     *     {@code enable.auto.commit} is set to false (and rejected if true): offsets are committed on acknowledge
     * @param topics the topics to subscribe to
     * @return the Flux of received records
     * @throws IllegalArgumentException if a property breaks a rule, or {@code topics} is empty
     */
    public static Flux<ReceivedRecord<byte[], byte[]>> receive(Map<String, ?> consumerProperties,
            Collection<String> topics) {
        return receive(consumerProperties, topics, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                DEFAULT_POLL_TIMEOUT, DEFAULT_COMMIT_INTERVAL);
    }

    /**
     * Your key and value types.
     *
     * @param consumerProperties Kafka consumer properties, as in {@link #receive(Map, Collection)}
     * @param topics the topics to subscribe to
     * @param keyDeserializer deserializes keys
     * @param valueDeserializer deserializes values
     * @param pollTimeout the longest {@code poll}, positive
     * @param commitInterval how often acknowledged offsets are committed, positive
     * @param <K> the key type
     * @param <V> the value type
     * @return the Flux of received records
     * @throws IllegalArgumentException if a property or duration breaks a rule, or {@code topics} is empty
     */
    public static <K, V> Flux<ReceivedRecord<K, V>> receive(Map<String, ?> consumerProperties,
            Collection<String> topics, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
            Duration pollTimeout, Duration commitInterval) {
        final Map<String, Object> config = consumerConfig(consumerProperties);
        final List<String> topicList = List.copyOf(Objects.requireNonNull(topics, "topics must not be null"));
        if (topicList.isEmpty()) {
            throw new IllegalArgumentException("topics " + topicList + " must name at least one topic");
        }
        Objects.requireNonNull(keyDeserializer, "keyDeserializer must not be null");
        Objects.requireNonNull(valueDeserializer, "valueDeserializer must not be null");
        requirePositive("pollTimeout", pollTimeout);
        requirePositive("commitInterval", commitInterval);
        final String group = config.get(ConsumerConfig.GROUP_ID_CONFIG).toString();
        return Flux.from(subscriber -> {
            final ReceiverSubscription<K, V> subscription = new ReceiverSubscription<>(subscriber,
                    () -> new KafkaConsumer<>(config, keyDeserializer, valueDeserializer), topicList, pollTimeout,
                    commitInterval);
            subscriber.onSubscribe(subscription);
            final Thread poller = new Thread(subscription, "ringbuf-kafka-receiver-" + group);
            poller.setDaemon(true);
            poller.start();
        });
    }

    private static Map<String, Object> consumerConfig(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "consumerProperties must not be null");
        final Map<String, Object> config = new HashMap<>(properties);
        for (String required : List.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG)) {
            if (config.get(required) == null) {
                throw new IllegalArgumentException("consumer properties must set " + required);
            }
        }
        final Object autoCommit = config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString().trim())) {
            throw new IllegalArgumentException(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG + "=" + autoCommit
                    + ": must be false, the receiver commits acknowledged offsets only (at-least-once)");
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return config;
    }

    private static void requirePositive(String name, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " " + duration + " must be positive");
        }
    }
}
