package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import reactor.core.publisher.Flux;
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
    /** The default {@link #stallTimeout(Duration) stall timeout}: 10 s. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);
    /** Kafka's default {@code max.request.size}: 1 MiB. */
    static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

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
    private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
    private Function<Map<String, Object>, Producer<K, V>> producerFactory;
    private Function<Map<String, Object>, TopicDescriber> topicDescriber = TopicDescriber::admin;
    private Function<Map<String, Object>, Producer<byte[], byte[]>> deadLetterProducerFactory =
            config -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    private boolean partitionByKey;
    private RelayHeaders headers;
    private ToLongFunction<? super Record> timestamp;
    private PoisonPolicy poisonPolicy = PoisonPolicy.stop();
    private ObservationRegistry observations;

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
     * The partition every record of this ring goes to (checked at start: it must exist). Default: the partition
     * Kafka's default partitioner gives the key {@code ring.name()}, so each ring has one partition and its order is
     * kept whatever the keys are. See {@link #partitionByKey(Function)} for order per key instead.
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
     * Partitions by key instead of by ring: each record goes where Kafka's partitioner puts its {@code key}, so
     * order is kept <em>per key</em>, not per ring (records of one key stay in order; records of different keys
     * may land on different partitions and be read in any relative order). Replaces {@link #key(Function)}; cannot
     * be combined with {@link #partition(int)}.
     *
     * @param key the key function (the partitioning key; null keys are spread by Kafka's sticky partitioner)
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     */
    public RingKafkaRelayBuilder<K, V> partitionByKey(Function<? super Record, ? extends K> key) {
        this.key = Objects.requireNonNull(key, "key must not be null");
        this.partitionByKey = true;
        return this;
    }

    /**
     * Adds headers to each record from its view (trace context, schema ids, the origin). Runs on the relay's
     * thread before the send; a hook that throws makes that record poison ({@link #poisonPolicy}).
     *
     * @param hook adds headers
     * @return this builder
     * @throws NullPointerException if {@code hook} is null
     */
    public RingKafkaRelayBuilder<K, V> headers(RelayHeaders hook) {
        this.headers = Objects.requireNonNull(hook, "headers must not be null");
        return this;
    }

    /**
     * The Kafka timestamp of each record, in epoch milliseconds, from its view (for example a time the producer
     * wrote into the payload). Default: none, so Kafka stamps the send time ({@code CreateTime}) or the broker's
     * ({@code LogAppendTime}).
     *
     * @param timestamp the timestamp function
     * @return this builder
     * @throws NullPointerException if {@code timestamp} is null
     */
    public RingKafkaRelayBuilder<K, V> timestamp(ToLongFunction<? super Record> timestamp) {
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp must not be null");
        return this;
    }

    /**
     * What to do with a record that can never be sent ({@link PoisonPolicy}). Default {@link PoisonPolicy#stop()}.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public RingKafkaRelayBuilder<K, V> poisonPolicy(PoisonPolicy policy) {
        this.poisonPolicy = Objects.requireNonNull(policy, "poisonPolicy must not be null");
        return this;
    }

    /**
     * Observes each send with Micrometer Observation ({@code ringbuf.kafka.send}, tagged {@code ring} and {@code
     * topic}), the record's headers as the carrier: with Micrometer Tracing's propagating handler on the registry
     * (as Spring Boot sets it up), each record carries the W3C {@code traceparent} of its send.
     *
     * @param registry the observation registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public RingKafkaRelayBuilder<K, V> observations(ObservationRegistry registry) {
        this.observations = Objects.requireNonNull(registry, "observations must not be null");
        return this;
    }

    /**
     * How long records may wait without any acknowledgement before the relay counts a stall ({@code
     * ringbuf.kafka.stalls}), reports {@link RelayState#STALLED} and logs the cause (then again at every stall timeout
     * while it lasts); also how long one start-check attempt waits for Kafka. Default {@link
     * #DEFAULT_STALL_TIMEOUT 10 s}.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public RingKafkaRelayBuilder<K, V> stallTimeout(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("stallTimeout " + timeout + " must be positive");
        }
        this.stallTimeout = timeout;
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
     * Registers the relay's meters, tagged {@code ring}: {@code ringbuf.kafka.records.sent}, {@code
     * .records.skipped}, {@code .records.dead.lettered}, {@code .send.errors}, {@code .stalls}, {@code .stalled},
     * {@code .in.flight} and {@code .send.latency} (docs/scale-out.md, "Meters").
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
     * How long {@link RingKafkaRelay#dispose()} waits for Kafka to acknowledge the records in flight (those still
     * unacknowledged then stay in the ring for the next relay). Default
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

    /** For tests: how the start check describes topics (default: an Admin client). */
    RingKafkaRelayBuilder<K, V> topicDescriber(Function<Map<String, Object>, TopicDescriber> describer) {
        this.topicDescriber = Objects.requireNonNull(describer, "topicDescriber must not be null");
        return this;
    }

    /**
     * Creates the producer and starts the relay: on the relay's thread, it checks the topic (it exists, a pinned
     * partition exists, the ring's largest record fits its {@code max.message.bytes}; {@link RelayState#STARTING},
     * or {@link RelayState#STALLED} with a log line while Kafka does not answer), then drains the ring.
     *
     * @return the running relay
     * @throws IllegalStateException if no topic or no value function was set, or both a partition and
     *     partitioning by key were
     * @throws IllegalArgumentException if the producer properties contradict the relay's requirements, or the
     *     ring's largest record does not fit {@code max.request.size}
     */
    public RingKafkaRelay start() {
        if (topic == null) {
            throw new IllegalStateException("topic not set: call topic(name) before start()");
        }
        if (value == null) {
            throw new IllegalStateException("value not set: call value(record -> ...) before start()");
        }
        if (partition != null && partitionByKey) {
            throw new IllegalStateException("partition(" + partition + ") and partitionByKey(...) exclude each other:"
                    + " pick one partition for the ring, or let the key choose");
        }
        final Map<String, Object> config = ProducerSettings.of(producerProperties, ring.name());
        final Object requestSize = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        final long maxRequestSize = requestSize == null ? KAFKA_DEFAULT_MAX_REQUEST_SIZE
                : Long.parseLong(requestSize.toString().trim());
        if (ring.maxRecordSize() + (long) DeadLetters.OVERHEAD > maxRequestSize) {
            throw new IllegalArgumentException("ring '" + ring.name() + "' accepts records of up to "
                    + ring.maxRecordSize() + " bytes, but the producer sends requests of up to max.request.size="
                    + maxRequestSize + " (less " + DeadLetters.OVERHEAD + " bytes for the batch, key and headers): "
                    + "build the ring with maxRecordSize(" + (maxRequestSize - DeadLetters.OVERHEAD) + ") or less, or"
                    + " raise max.request.size (and the topic's max.message.bytes)");
        }
        final String target = "topic '" + topic + "' on Kafka at " + config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        final RelaySettings<K, V> settings = new RelaySettings<>(ring.name(), target, topic, partition,
                partitionByKey, key, value, headers, timestamp, poisonPolicy, maxInFlight, retryBackoff, closeTimeout,
                stallTimeout, observations);
        final DeadLetters deadLetters = poisonPolicy.action() != PoisonPolicy.Action.DEAD_LETTER ? null
                : new DeadLetters(poisonPolicy.deadLetterTopic(), ring.name(), topic, maxRequestSize,
                        deadLetterConfig(config), deadLetterProducerFactory);
        final TopicDescriber describer = topicDescriber.apply(config);
        final Producer<K, V> producer;
        try {
            producer = producerFactory != null ? producerFactory.apply(config)
                    : new KafkaProducer<>(config, keySerializer, valueSerializer);
        } catch (RuntimeException e) {
            describer.close();
            throw e;
        }
        final Scheduler scheduler = Schedulers.newSingle("ringbuf-kafka-relay-" + ring.name(), true);
        // The relay has its own stall detection, which names the cause: the Flux's generic warning stays off.
        final Flux<Record> records = RingBufferFlux.builder(ring).scheduler(scheduler).stallWarning(Duration.ZERO)
                .manualRelease(maxInFlight).records();
        final RingKafkaRelay relay = new RingKafkaRelay(settings, producer, scheduler, deadLetters, registry);
        relay.begin(describer, deadLetters == null ? null : deadLetters.topic(), ring.maxRecordSize(), records);
        return relay;
    }

    private static Map<String, Object> deadLetterConfig(Map<String, Object> config) {
        final Map<String, Object> letters = new java.util.HashMap<>(config);
        letters.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-dlt");
        letters.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return letters;
    }
}
