package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Configures a {@link RingKafkaRelay}; {@link #start()} starts it. Made by {@link RingKafkaRelay#builder}.
 *
 * <pre>{@code
 * RingKafkaRelay relay = RingKafkaRelay.builder(ring, props, new StringSerializer(), new RecordSerializer())
 *         .topic("events")
 *         .key(record -> "host-1")          // reads the view; no copy before the serializer
 *         .value(record -> record)          // RecordSerializer copies the payload once, inside send()
 *         .maxInFlight(256)
 *         .start();
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RingKafkaRelayBuilder<K, V> {

    /** The default {@link #maxInFlight(int) maximum in flight}: 256 records. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    /** The default {@link #retryBackoff(Duration) retry back-off}: 200 ms. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    /** The default {@link #closeTimeout(Duration) close timeout}: 10 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final RingBuffer ring;
    private final Map<String, ?> producerProperties;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private String topic;
    private Integer partition;
    private Function<? super Record, ? extends K> key = record -> null;
    private Function<? super Record, ? extends V> value;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private MeterRegistry registry;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Function<Map<String, Object>, Producer<K, V>> producerFactory;

    RingKafkaRelayBuilder(RingBuffer ring, Map<String, ?> producerProperties, Serializer<K> keySerializer,
            Serializer<V> valueSerializer) {
        this.ring = Objects.requireNonNull(ring, "ring must not be null");
        this.producerProperties = Objects.requireNonNull(producerProperties, "producerProperties must not be null");
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer must not be null");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer must not be null");
    }

    /**
     * The topic to send to (required).
     *
     * @param topic a topic name, not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code topic} is null or blank
     */
    public RingKafkaRelayBuilder<K, V> topic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic '" + topic + "' must be a non-blank topic name");
        }
        this.topic = topic;
        return this;
    }

    /**
     * The partition every record of this ring goes to. Default: the partition Kafka's default partitioner gives
     * the key {@code ring.name()}, so each ring has one partition and its order is kept whatever the keys are.
     *
     * @param partition a partition number, 0 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code partition} is negative
     */
    public RingKafkaRelayBuilder<K, V> partition(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " must be 0 or more");
        }
        this.partition = partition;
        return this;
    }

    /**
     * The key of each record, computed from the record's view (valid while the function runs and until the
     * record is acknowledged). Default: null, or the ring's name for {@link RingKafkaRelay#builder(RingBuffer, Map)}.
     *
     * @param key the key function
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     */
    public RingKafkaRelayBuilder<K, V> key(Function<? super Record, ? extends K> key) {
        this.key = Objects.requireNonNull(key, "key must not be null");
        return this;
    }

    /**
     * The value of each record, computed from the record's view. Return the view itself with a {@link
     * RecordSerializer} to copy the payload once, in the serializer. Required unless the builder came from {@link
     * RingKafkaRelay#builder(RingBuffer, Map)}.
     *
     * @param value the value function
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public RingKafkaRelayBuilder<K, V> value(Function<? super Record, ? extends V> value) {
        this.value = Objects.requireNonNull(value, "value must not be null");
        return this;
    }

    /**
     * The most records sent and not yet acknowledged (the Flux's demand is the free slots, and its manual-release
     * bound). Default {@link #DEFAULT_MAX_IN_FLIGHT 256}.
     *
     * @param records a positive number of records
     * @return this builder
     * @throws IllegalArgumentException if {@code records} is not positive
     */
    public RingKafkaRelayBuilder<K, V> maxInFlight(int records) {
        if (records <= 0) {
            throw new IllegalArgumentException("maxInFlight " + records + " must be positive");
        }
        this.maxInFlight = records;
        return this;
    }

    /**
     * Registers the relay's meters ({@code ringbuf.kafka.records.sent}, {@code ringbuf.kafka.send.errors}, {@code
     * ringbuf.kafka.in.flight}, {@code ringbuf.kafka.send.latency}, tagged {@code ring}).
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public RingKafkaRelayBuilder<K, V> metrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        return this;
    }

    /**
     * How long the relay waits before sending again a record whose send failed retriably before reaching the
     * producer (typically: no metadata within {@code max.block.ms}). Default {@link #DEFAULT_RETRY_BACKOFF 200 ms}.
     *
     * @param backoff a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code backoff} is null, zero or negative
     */
    public RingKafkaRelayBuilder<K, V> retryBackoff(Duration backoff) {
        if (backoff == null || backoff.isZero() || backoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff " + backoff + " must be positive");
        }
        this.retryBackoff = backoff;
        return this;
    }

    /**
     * How long {@link RingKafkaRelay#dispose()} waits for Kafka to acknowledge the records in flight. Default
     * {@link #DEFAULT_CLOSE_TIMEOUT 10 s}.
     *
     * @param timeout zero or a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is null or negative
     */
    public RingKafkaRelayBuilder<K, V> closeTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout " + timeout + " must be zero or positive");
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * Makes the producer from the checked configuration (default: {@code new KafkaProducer<>(config,
     * keySerializer, valueSerializer)}): for tests ({@code MockProducer}) or instrumented producers.
     *
     * @param factory makes a producer from the relay's configuration
     * @return this builder
     * @throws NullPointerException if {@code factory} is null
     */
    public RingKafkaRelayBuilder<K, V> producerFactory(Function<Map<String, Object>, Producer<K, V>> factory) {
        this.producerFactory = Objects.requireNonNull(factory, "producerFactory must not be null");
        return this;
    }

    /**
     * Creates the producer and starts draining the ring.
     *
     * @return the running relay
     * @throws IllegalStateException if no topic or no value function was set
     * @throws IllegalArgumentException if the producer properties contradict the relay's requirements
     */
    public RingKafkaRelay start() {
        if (topic == null) {
            throw new IllegalStateException("topic not set: call topic(name) before start()");
        }
        if (value == null) {
            throw new IllegalStateException("value not set: call value(record -> ...) before start()");
        }
        final Map<String, Object> config = ProducerSettings.of(producerProperties, ring.name());
        final Producer<K, V> producer = producerFactory != null ? producerFactory.apply(config)
                : new KafkaProducer<>(config, keySerializer, valueSerializer);
        final Scheduler scheduler = Schedulers.newSingle("ringbuf-kafka-relay-" + ring.name(), true);
        final Parts<K, V> parts = new Parts<>(this, producer, scheduler, new RelayMeters(registry, ring.name()));
        final RingKafkaRelay relay = new RingKafkaRelay(parts);
        RingBufferFlux.builder(ring).scheduler(scheduler).manualRelease(maxInFlight).records()
                .subscribe(parts.subscriber);
        return relay;
    }

    /** What a relay is made of, handed to its constructor. */
    static final class Parts<K, V> {
        private final RingKafkaRelayBuilder<K, V> builder;
        private final Producer<K, V> producer;
        private final Scheduler scheduler;
        private final RelayMeters meters;
        private RelaySubscriber<K, V> subscriber;

        Parts(RingKafkaRelayBuilder<K, V> builder, Producer<K, V> producer, Scheduler scheduler, RelayMeters meters) {
            this.builder = builder;
            this.producer = producer;
            this.scheduler = scheduler;
            this.meters = meters;
        }

        Producer<K, V> producer() {
            return producer;
        }

        Scheduler scheduler() {
            return scheduler;
        }

        RelayMeters meters() {
            return meters;
        }

        Duration closeTimeout() {
            return builder.closeTimeout;
        }

        String name() {
            return builder.ring.name();
        }

        RelaySubscriber<K, V> subscriber(Runnable onTerminate) {
            subscriber = new RelaySubscriber<>(producer, builder.topic, builder.partition, builder.ring.name(),
                    builder.key, builder.value, builder.maxInFlight, meters, scheduler, builder.retryBackoff,
                    onTerminate);
            return subscriber;
        }
    }
}
