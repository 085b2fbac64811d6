package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A running relay from one ring to one Kafka topic: checks the topic at start, drains the ring through its
 * manual-release Flux, sends each record with an idempotent {@code acks=all} producer to the ring's partition, and
 * releases the record's ring space only once Kafka acknowledged it (at-least-once). At most {@code maxInFlight}
 * records are sent and not yet acknowledged; when Kafka is slow or down, the relay stops taking records, the ring
 * fills, and the ring's producers' drops are counted ({@code ringbuf.records.dropped{reason="full"}}); after the
 * stall timeout the relay is {@link RelayState#STALLED} and says why in its log. When Kafka is back the producer
 * delivers what it holds and the relay resumes by itself. A record that can never be sent is handled by the
 * {@link PoisonPolicy} (default: stop).
 *
 * <pre>{@code
 * RingKafkaRelay relay = RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", "kafka:9092"))
 *         .topic("events")                  // every record of the ring goes to one partition: order per ring
 *         .maxInFlight(256)
 *         .poisonPolicy(PoisonPolicy.deadLetter("events.dlt"))
 *         .metrics(registry)                // ringbuf.kafka.records.sent, .stalls, .in.flight, ...
 *         .start();
 * ...
 * ring.close();                             // the loss-free end: the relay drains the ring, then completes
 * RelayCompletion done = relay.completion().block();   // what Kafka acknowledged
 * // or relay.dispose(): waits (bounded) for what is in flight; the rest stays in the ring for the next relay
 * }</pre>
 *
 * <p>Keys and values: {@link #builder(RingBuffer, Map)} sends the ring's name as the key and the record's payload
 * as the value, serialized by {@link RecordSerializer} straight from the ring (one copy, the serializer's). {@link
 * #builder(RingBuffer, Map, Serializer, Serializer)} takes functions of the {@link Record} view and your serializers.
 */
public final class RingKafkaRelay implements Disposable {

    private final RelaySettings<?, ?> settings;
    private final Producer<?, ?> producer;
    private final Scheduler scheduler;
    private final RelayMeters meters = new RelayMeters();
    private final RelayStatus status;
    private final DeadLetters deadLetters;
    private final RelaySubscriber<?, ?> subscriber;
    private final Sinks.One<RelayCompletion> done = Sinks.one();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile RelayStartCheck startCheck;

    <K, V> RingKafkaRelay(RelaySettings<K, V> settings, Producer<K, V> producer, Scheduler scheduler,
            DeadLetters deadLetters, MeterRegistry registry) {
        this.settings = settings;
        this.producer = producer;
        this.scheduler = scheduler;
        this.deadLetters = deadLetters;
        this.status = new RelayStatus(settings.ring(), settings.target(), settings.stallTimeout(), meters);
        if (registry != null) {
            meters.bindTo(registry, settings.ring(), () -> status.state().isTerminal(), status::stalled);
        }
        this.subscriber = new RelaySubscriber<>(producer, settings, meters, status, scheduler, deadLetters,
                this::close);
    }

    /** Starts the start check, then (once it passed) the subscription, and the periodic stall check. */
    void begin(TopicDescriber describer, String deadLetterTopic, int maxRecordSize, Flux<Record> records) {
        final RelayStartCheck check = new RelayStartCheck(settings, describer, deadLetterTopic, maxRecordSize,
                subscriber, status, scheduler, records);
        startCheck = check;
        final long period = Math.max(10, Math.min(1000, settings.stallTimeout().toMillis() / 4));
        scheduler.schedulePeriodically(() -> status.check(subscriber.recordsWaiting()), period, period,
                TimeUnit.MILLISECONDS);
        scheduler.schedule(check);
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
     * The relay's end and what it delivered. Emits a {@link RelayCompletion} once the relay ended without error:
     * the ring was closed and every record of it acknowledged (or skipped or dead-lettered by the poison policy;
     * {@code drained()} is true), or {@link #dispose()} stopped it ({@code unacknowledged()} records, if any, stay in
     * the ring). Fails with a {@link RelayException} (whose {@code completion()} has the same report) for a failed
     * start check, a poison record under {@link PoisonPolicy#stop()} or a fatal Kafka error.
     *
     * @return the relay's end
     */
    public Mono<RelayCompletion> completion() {
        return done.asMono();
    }

    /**
     * Where the relay stands (the Spring starter's relay health reads it).
     *
     * @return the state now
     */
    public RelayState state() {
        return status.state();
    }

    /**
     * Why the relay is {@link RelayState#STALLED} or {@link RelayState#FAILED}, or null.
     *
     * @return the cause, as logged
     */
    public String stallCause() {
        return status.cause();
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
     * Poison records released without being sent ({@link PoisonPolicy#skip()}).
     *
     * @return the count since the relay started
     */
    public long skippedRecords() {
        return meters.skipped.get();
    }

    /**
     * Poison records the dead-letter topic acknowledged ({@link PoisonPolicy#deadLetter(String)}).
     *
     * @return the count since the relay started
     */
    public long deadLetteredRecords() {
        return meters.deadLettered.get();
    }

    /**
     * Failed send attempts: retriable ones were sent again, poison ones went to the poison policy.
     *
     * @return the count since the relay started
     */
    public long sendErrors() {
        return meters.errors.get();
    }

    /**
     * Records taken from the ring and not yet acknowledged: at most {@code maxInFlight}; 0 once the relay ended
     * (what was left is in {@link RelayCompletion#unacknowledged()}).
     *
     * @return the records in flight now
     */
    public int inFlight() {
        return status.state().isTerminal() ? 0 : meters.inFlight.get();
    }

    /**
     * Stops the relay: takes no more records from the ring, waits up to the builder's {@code closeTimeout} for
     * Kafka to acknowledge the records in flight (each acknowledged record is released), then closes the producer
     * and cancels its subscription to the ring. Returns at once; {@link #completion()} says when it is done and what
     * was acknowledged. Records not acknowledged by then are <em>not</em> released: they stay in the ring and the
     * next relay on it sends them again (they may be in Kafka already: duplicates, never a loss). To send
     * everything and end, close the ring instead and wait for {@link #completion()}.
     */
    @Override
    public void dispose() {
        status.stopping();
        final RelayStartCheck check = startCheck;
        if (check != null) {
            check.cancel();
        }
        subscriber.stop();
        close();
    }

    /** True once the relay was disposed or ended. */
    @Override
    public boolean isDisposed() {
        return closing.get();
    }

    /** Closes the producer (flushing, bounded), then cancels the ring's Flux, off the caller's and Kafka's threads. */
    private void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        final Thread closer = new Thread(() -> {
            try {
                producer.close(settings.closeTimeout());
                if (deadLetters != null) {
                    deadLetters.close(settings.closeTimeout());
                }
            } catch (RuntimeException e) {
                // the relay is ending anyway; the error, if any, is the subscriber's
            } finally {
                subscriber.dispose();
                // The cancel's drain runs on the relay's thread: it rewinds what was not released and hands the ring
                // over to the next subscriber. Let it (and what else is queued) run, bounded, then stop the thread.
                try {
                    scheduler.disposeGracefully().block(settings.closeTimeout().plusSeconds(5));
                } catch (RuntimeException timeout) {
                    scheduler.dispose();
                }
                finish();
            }
        }, "ringbuf-kafka-relay-close-" + settings.ring());
        closer.setDaemon(true);
        closer.start();
    }

    private void finish() {
        final Throwable error = subscriber.error();
        final RelayCompletion report = new RelayCompletion(meters.sent.get(), meters.inFlight.get(),
                meters.skipped.get(), meters.deadLettered.get(), meters.reordered.get(), meters.overtaking.get(), subscriber.drained());
        status.ended(error != null, error == null ? null : error.getMessage());
        if (error == null) {
            done.tryEmitValue(report);
            return;
        }
        if (error instanceof RelayException relayError) {
            relayError.completion(report);
        }
        done.tryEmitError(error);
    }

    @Override
    public String toString() {
        return "RingKafkaRelay[" + settings.ring() + " -> " + settings.target() + ", " + state() + ", sent="
                + sentRecords() + ", inFlight=" + inFlight() + ", errors=" + sendErrors() + "]";
    }
}
