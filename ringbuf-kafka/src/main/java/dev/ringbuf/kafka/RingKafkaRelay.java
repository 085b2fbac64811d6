package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A running relay from one ring to one Kafka topic: drains the ring through its manual-release Flux, sends each
 * record with an idempotent {@code acks=all} producer to the ring's partition, and releases the record's ring space
 * only once Kafka acknowledged it (at-least-once). At most {@code maxInFlight} records are sent and not yet
 * acknowledged; when Kafka is slow or down, the relay stops taking records, the ring fills, and the ring's
 * producers' drops are counted ({@code ringbuf.records.dropped{reason="full"}}). When Kafka is back the producer
 * delivers what it holds and the relay resumes by itself.
 *
 * <pre>{@code
 * RingKafkaRelay relay = RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", "kafka:9092"))
 *         .topic("events")                  // every record of the ring goes to one partition: order per ring
 *         .maxInFlight(256)
 *         .metrics(registry)                // ringbuf.kafka.records.sent, .send.errors, .in.flight, .send.latency
 *         .start();
 * ...
 * relay.dispose();                          // flushes what is in flight, then lets go of the ring
 * relay.completion().block();
 * }</pre>
 *
 * <p>Keys and values: {@link #builder(RingBuffer, Map)} sends the ring's name as the key and the record's payload
 * as the value, serialized by {@link RecordSerializer} straight from the ring (one copy, the serializer's). {@link
 * #builder(RingBuffer, Map, Serializer, Serializer)} takes functions of the {@link Record} view and your serializers.
 */
public final class RingKafkaRelay implements Disposable {

    private final RelaySubscriber<?, ?> subscriber;
    private final Producer<?, ?> producer;
    private final Scheduler scheduler;
    private final Duration closeTimeout;
    private final RelayMeters meters;
    private final Sinks.Empty<Void> done = Sinks.empty();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final String name;

    <K, V> RingKafkaRelay(RingKafkaRelayBuilder.Parts<K, V> parts) {
        this.producer = parts.producer();
        this.scheduler = parts.scheduler();
        this.closeTimeout = parts.closeTimeout();
        this.meters = parts.meters();
        this.name = parts.name();
        this.subscriber = parts.subscriber(this::close);
    }

    /**
     * A relay whose keys are the ring's name (UTF-8) and whose values are the records' payloads.
     *
     * @param ring the ring to drain; the relay is its one subscriber while it runs
     * @param producerProperties Kafka producer properties, at least {@code bootstrap.servers}; the relay requires
     *     {@code enable.idempotence=true}, {@code acks=all} and {@code max.in.flight.requests.per.connection <= 5}
     *     (it sets them when absent, and rejects other values), and defaults {@code delivery.timeout.ms} and
     *     {@code retries} to their maximum (deliver until acknowledged)
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static RingKafkaRelayBuilder<byte[], Record> builder(RingBuffer ring, Map<String, ?> producerProperties) {
        final RingKafkaRelayBuilder<byte[], Record> builder = new RingKafkaRelayBuilder<>(ring, producerProperties,
                new ByteArraySerializer(), new RecordSerializer());
        final byte[] ringName = ring.name().getBytes(StandardCharsets.UTF_8);
        return builder.key(record -> ringName).value(record -> record);
    }

    /**
     * A relay with your key and value types: the builder's {@link RingKafkaRelayBuilder#key key} and {@link
     * RingKafkaRelayBuilder#value value} functions read the {@link Record} view, the serializers make the bytes.
     *
     * @param ring the ring to drain
     * @param producerProperties Kafka producer properties, as in {@link #builder(RingBuffer, Map)}
     * @param keySerializer serializes keys
     * @param valueSerializer serializes values
     * @param <K> the key type
     * @param <V> the value type
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static <K, V> RingKafkaRelayBuilder<K, V> builder(RingBuffer ring, Map<String, ?> producerProperties,
            Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new RingKafkaRelayBuilder<>(ring, producerProperties, keySerializer, valueSerializer);
    }

    /**
     * Completes when the relay has ended: after {@link #dispose()}, or once the ring was closed and every record
     * was acknowledged; fails with a {@link RelayException} if a record could not be sent.
     *
     * @return the relay's end
     */
    public Mono<Void> completion() {
        return done.asMono();
    }

    /**
     * Records Kafka acknowledged (and whose ring space was released).
     *
     * @return the count since the relay started
     */
    public long sentRecords() {
        return meters.sent.get();
    }

    /**
     * Failed send attempts: retriable ones were sent again, a non-retriable one ended the relay.
     *
     * @return the count since the relay started
     */
    public long sendErrors() {
        return meters.errors.get();
    }

    /**
     * Records taken from the ring and not yet acknowledged: at most {@code maxInFlight}.
     *
     * @return the records in flight now
     */
    public int inFlight() {
        return meters.inFlight.get();
    }

    /**
     * Stops the relay: takes no more records from the ring, waits up to the builder's {@code closeTimeout} for
     * Kafka to acknowledge the records in flight (each acknowledged record is released), then cancels its
     * subscription to the ring. Returns at once; {@link #completion()} says when it is done. A record still not
     * acknowledged then is released by the cancel (today's manual release frees what a cancelled subscriber held):
     * it may or may not be in Kafka. Stop a relay while Kafka is up, or let the ring close, to lose nothing.
     */
    @Override
    public void dispose() {
        subscriber.stop();
        close();
    }

    /** True once the relay was disposed or ended. */
    @Override
    public boolean isDisposed() {
        return closing.get();
    }

    /** Closes the producer (flushing), then cancels the ring's Flux, off the caller's and Kafka's threads. */
    private void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        final Thread closer = new Thread(() -> {
            try {
                producer.close(closeTimeout);
            } catch (RuntimeException e) {
                // the relay is ending anyway; the error, if any, is the subscriber's
            } finally {
                subscriber.dispose();
                scheduler.dispose();
                final Throwable error = subscriber.error();
                if (error == null) {
                    done.tryEmitEmpty();
                } else {
                    done.tryEmitError(error);
                }
            }
        }, "ringbuf-kafka-relay-close-" + name);
        closer.setDaemon(true);
        closer.start();
    }

    @Override
    public String toString() {
        return "RingKafkaRelay[" + name + ", sent=" + sentRecords() + ", inFlight=" + inFlight() + ", errors="
                + sendErrors() + "]";
    }
}
