package dev.ringbuf.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Configures a {@link RingKafkaReceiver}; made by {@link RingKafkaReceiver#builder}.
 *
 * <pre>{@code
 * RingKafkaReceiver<String, Event> receiver = RingKafkaReceiver.builder(props, List.of("events"),
 *                 new StringDeserializer(), new EventDeserializer())
 *         .deserializationFailure(DeserializationFailurePolicy.SKIP)
 *         .onAssigned((consumer, partitions) -> log.info("assigned {}", partitions))
 *         .metrics(registry)
 *         .build();
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReceiverBuilder<K, V> {

    private final Map<String, Object> config;
    private final List<String> topics;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private Duration pollTimeout = RingKafkaReceiver.DEFAULT_POLL_TIMEOUT;
    private Duration commitInterval = RingKafkaReceiver.DEFAULT_COMMIT_INTERVAL;
    private DeserializationFailurePolicy deserializationFailure = DeserializationFailurePolicy.FAIL;
    private Consumer<RecordDeserializationException> onDeserializationFailure;
    private PartitionsListener onAssigned;
    private PartitionsListener onRevoked;
    private CommitListener onCommit;
    private MeterRegistry registry;

    ReceiverBuilder(Map<String, Object> config, List<String> topics, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        this.config = config;
        this.topics = topics;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
    }

    /**
     * The longest {@code poll}. Default {@link RingKafkaReceiver#DEFAULT_POLL_TIMEOUT 100 ms}.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public ReceiverBuilder<K, V> pollTimeout(Duration timeout) {
        this.pollTimeout = positive("pollTimeout", timeout);
        return this;
    }

    /**
     * How often acknowledged offsets are committed. Default {@link RingKafkaReceiver#DEFAULT_COMMIT_INTERVAL 1 s}.
     *
     * @param interval a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is null, zero or negative
     */
    public ReceiverBuilder<K, V> commitInterval(Duration interval) {
        this.commitInterval = positive("commitInterval", interval);
        return this;
    }

    /**
     * What a record the deserializer rejects does. Default {@link DeserializationFailurePolicy#FAIL}.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public ReceiverBuilder<K, V> deserializationFailure(DeserializationFailurePolicy policy) {
        this.deserializationFailure = Objects.requireNonNull(policy, "policy must not be null");
        return this;
    }

    /**
     * Hears each record the deserializer rejects (partition, offset, raw key and value bytes), on the poll thread,
     * before the policy applies: for example to send its bytes to a dead-letter topic.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public ReceiverBuilder<K, V> onDeserializationFailure(Consumer<RecordDeserializationException> listener) {
        this.onDeserializationFailure = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Hears partitions assigned, with the consumer (seek there).
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public ReceiverBuilder<K, V> onAssigned(PartitionsListener listener) {
        this.onAssigned = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Hears partitions revoked, after their acknowledged offsets were committed.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public ReceiverBuilder<K, V> onRevoked(PartitionsListener listener) {
        this.onRevoked = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Hears the result of every commit.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public ReceiverBuilder<K, V> onCommit(CommitListener listener) {
        this.onCommit = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Registers the receiver's meters, tagged {@code group}: {@code ringbuf.kafka.receiver.records}, {@code
     * .commits{result}}, {@code .deserialization.failures}, {@code .lag} and {@code .unacknowledged}.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public ReceiverBuilder<K, V> metrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        return this;
    }

    /**
     * The receiver; each {@link RingKafkaReceiver#receive()} subscription is one group member.
     *
     * @return the receiver
     */
    public RingKafkaReceiver<K, V> build() {
        final ReceiverSettings settings = new ReceiverSettings(config.get(ConsumerConfig.GROUP_ID_CONFIG).toString(),
                topics, pollTimeout, commitInterval, deserializationFailure, onDeserializationFailure, onAssigned,
                onRevoked, onCommit);
        return new RingKafkaReceiver<>(config, keyDeserializer, valueDeserializer, settings, registry);
    }

    private static Duration positive(String name, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " " + duration + " must be positive");
        }
        return duration;
    }
}
