package dev.ringbuf.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kafka to a {@link Flux}: a consumer-group member whose records are emitted against demand, with backpressure
 * (the assigned partitions are paused while the emitted-but-unrequested buffer covers the demand, and resumed when
 * more is requested) and at-least-once offsets with deferred commits: acknowledge in any order, the commit never
 * passes a record that was not {@linkplain ReceivedRecord#acknowledge() acknowledged}.
 *
 * <pre>{@code
 * RingKafkaReceiver<byte[], byte[]> receiver = RingKafkaReceiver.builder(
 *         Map.of("bootstrap.servers", "kafka:9092", "group.id", "aggregator", "auto.offset.reset", "earliest"),
 *         List.of("events"))
 *     .deserializationFailure(DeserializationFailurePolicy.SKIP)
 *     .onCommit((offsets, error) -> ...)
 *     .metrics(registry)
 *     .build();
 * receiver.receive()
 *         .flatMap(r -> process(r).doOnSuccess(done -> r.acknowledge()), 16)   // out of order: safe
 *         .subscribe();
 * }</pre>
 *
 * <p>Each subscription creates its own {@code KafkaConsumer} and its own poll thread (a Kafka consumer is not
 * thread-safe), which emits: {@code publishOn} before heavy work, so that the poll thread keeps polling. Cancel
 * commits what was acknowledged, leaves the group and closes the consumer. The Flux does not complete by itself;
 * a consumer error ends it with {@code onError}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RingKafkaReceiver<K, V> {

    /** The default longest {@code poll}: 100 ms (also the latency of a cancel when no wakeup is possible). */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    /** The default interval between commits of acknowledged offsets: 1 s. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final Map<String, Object> config;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final ReceiverSettings settings;
    private final ReceiverMeters meters = new ReceiverMeters();
    private final AtomicReference<ReceiverSubscription<K, V>> current = new AtomicReference<>();

    RingKafkaReceiver(Map<String, Object> config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
            ReceiverSettings settings, MeterRegistry registry) {
        this.config = config;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.settings = settings;
        if (registry != null) {
            meters.bindTo(registry, settings.group(), () -> {
                final ReceiverSubscription<K, V> subscription = current.get();
                return subscription == null ? 0 : subscription.unacknowledged();
            });
        }
    }

    /**
     * A receiver builder for byte-array keys and values.
     *
     * @param consumerProperties Kafka consumer properties, at least {@code bootstrap.servers} and {@code group.id};
     *     {@code enable.auto.commit} is set to false (and rejected if true): offsets are committed on acknowledge
     * @param topics the topics to subscribe to
     * @return the builder
     * @throws IllegalArgumentException if a property breaks a rule, or {@code topics} is empty
     */
    public static ReceiverBuilder<byte[], byte[]> builder(Map<String, ?> consumerProperties,
            Collection<String> topics) {
        return builder(consumerProperties, topics, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A receiver builder for your key and value types.
     *
     * @param consumerProperties Kafka consumer properties, as in {@link #builder(Map, Collection)}
     * @param topics the topics to subscribe to
     * @param keyDeserializer deserializes keys
     * @param valueDeserializer deserializes values
     * @param <K> the key type
     * @param <V> the value type
     * @return the builder
     * @throws IllegalArgumentException if a property breaks a rule, or {@code topics} is empty
     */
    public static <K, V> ReceiverBuilder<K, V> builder(Map<String, ?> consumerProperties, Collection<String> topics,
            Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        final Map<String, Object> config = consumerConfig(consumerProperties);
        final List<String> topicList = List.copyOf(Objects.requireNonNull(topics, "topics must not be null"));
        if (topicList.isEmpty()) {
            throw new IllegalArgumentException("topics " + topicList + " must name at least one topic");
        }
        return new ReceiverBuilder<>(config, topicList,
                Objects.requireNonNull(keyDeserializer, "keyDeserializer must not be null"),
                Objects.requireNonNull(valueDeserializer, "valueDeserializer must not be null"));
    }

    /**
     * Byte-array keys and values, the defaults otherwise: {@code builder(consumerProperties, topics).build()
     * .receive()}.
     *
     * @param consumerProperties Kafka consumer properties, as in {@link #builder(Map, Collection)}
     * @param topics the topics to subscribe to
     * @return the Flux of received records
     * @throws IllegalArgumentException if a property breaks a rule, or {@code topics} is empty
     */
    public static Flux<ReceivedRecord<byte[], byte[]>> receive(Map<String, ?> consumerProperties,
            Collection<String> topics) {
        return builder(consumerProperties, topics).build().receive();
    }

    /**
     * Your key and value types, the defaults otherwise.
     *
     * @param consumerProperties Kafka consumer properties, as in {@link #builder(Map, Collection)}
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
        return builder(consumerProperties, topics, keyDeserializer, valueDeserializer).pollTimeout(pollTimeout)
                .commitInterval(commitInterval).build().receive();
    }

    /**
     * The records: each subscription is one member of the group, with its own consumer and poll thread.
     *
     * @return the Flux of received records
     */
    public Flux<ReceivedRecord<K, V>> receive() {
        return Flux.from(subscriber -> {
            final ReceiverSubscription<K, V> subscription = new ReceiverSubscription<>(subscriber,
                    () -> new KafkaConsumer<>(config, keyDeserializer, valueDeserializer), settings, meters);
            current.set(subscription);
            subscriber.onSubscribe(subscription);
            final Thread poller = new Thread(subscription, "ringbuf-kafka-receiver-" + settings.group());
            poller.setDaemon(true);
            poller.start();
        });
    }

    /**
     * Runs {@code action} with the consumer of the latest subscription, on its poll thread (a Kafka consumer is
     * not thread-safe): {@code seek}, {@code assignment}, {@code committed}, {@code metrics}.
     *
     * <pre>{@code
     * receiver.doOnConsumer(c -> { c.seek(new TopicPartition("events", 0), 42); return null; }).block();
     * }</pre>
     *
     * @param action what to do with the consumer
     * @param <T> its result type
     * @return the result, once the poll thread ran it; an error if no subscription is active or it ends first
     */
    public <T> Mono<T> doOnConsumer(Function<Consumer<K, V>, T> action) {
        Objects.requireNonNull(action, "action must not be null");
        return Mono.create(sink -> {
            final ReceiverSubscription<K, V> subscription = current.get();
            if (subscription == null) {
                sink.error(new IllegalStateException("no active subscription: receive() and subscribe first"));
                return;
            }
            subscription.submit(consumer -> {
                if (consumer == null) {
                    sink.error(new IllegalStateException("the subscription ended: its consumer is closed"));
                    return;
                }
                try {
                    sink.success(action.apply(consumer));
                } catch (RuntimeException e) {
                    sink.error(e);
                }
            });
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
}
