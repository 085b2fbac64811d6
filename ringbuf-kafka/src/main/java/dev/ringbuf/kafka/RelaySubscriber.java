package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import io.micrometer.observation.Observation;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Utils;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The relay's engine: sends each record of the ring's manual-release Flux to Kafka and releases it once Kafka
 * acknowledged it (or, for a poison record, once the poison policy dealt with it). Demand is the free in-flight
 * slots: {@code maxInFlight} at first, one more per released record. A record that is not released (the relay
 * stopped before its acknowledgement) stays in the ring for the next relay.
 *
 * <p>Threads: {@code onNext}, retries, poison handling and the stall check run on the relay's single-thread
 * scheduler (the Flux's worker runs there too), so {@link #waiting} has one thread. Acknowledgements run on the
 * producer's I/O thread: they only release, count and request, all thread-safe.
 *
 * <p>Order: Kafka keeps the order of one producer's sends to one partition (idempotence, at most 5 requests in
 * flight) and retries internally until {@code delivery.timeout.ms} (the relay's default: forever). A send that
 * fails retriably before reaching the producer's buffer is parked in {@link #waiting}, ordered by ring position,
 * with every record emitted after it; they are sent again in that order after a back-off.
 */
final class RelaySubscriber<K, V> extends BaseSubscriber<Record> {

    /** Looked up per line (rare): the logger factory in place now (a test's capture) is the one used. */
    private static Logger log() {
        return Loggers.getLogger(RingKafkaRelay.class);
    }

    private final Producer<K, V> producer;
    private final RelaySettings<K, V> settings;
    private final RelayMeters meters;
    private final RelayStatus status;
    private final Scheduler scheduler;
    private final DeadLetters deadLetters;
    private final Runnable onTerminate;
    private final AtomicBoolean terminated = new AtomicBoolean();
    /** Under the stop policy, the lowest ring position Kafka rejected: records acknowledged past it are counted. */
    private final AtomicLong rejectedAt = new AtomicLong(Long.MAX_VALUE);
    /** The highest ring position acknowledged: an acknowledgement below it is out of ring order, and counted. */
    private final AtomicLong highestAcknowledged = new AtomicLong(-1);

    /** The partition every record goes to, set by the start check before the subscription; null: by key. */
    private Integer partition;
    /** Parked records, oldest ring position first. Relay thread only. */
    private final PriorityQueue<Outgoing> waiting = new PriorityQueue<>(Comparator.comparingLong(o -> o.position));
    /** Relay thread only. */
    private boolean retryScheduled;
    /** The relay thread, so that a callback can tell it runs inside {@code send} on it. */
    private volatile Thread relayThread;
    /** A failure reported by the callback while {@code send} runs on the relay thread. Relay thread only. */
    private Exception sendFailure;

    /** Set by dispose or a fatal error (any thread): stop requesting, sending and retrying; acks still release. */
    private volatile boolean stopping;
    /** Set on the relay thread by onComplete, read by the I/O thread's last acknowledgement: then the relay ends. */
    private volatile boolean upstreamDone;
    /** Written before onTerminate runs; read by the closer thread, which onTerminate starts (Thread.start orders). */
    private volatile Throwable error;

    RelaySubscriber(Producer<K, V> producer, RelaySettings<K, V> settings, RelayMeters meters, RelayStatus status,
            Scheduler scheduler, DeadLetters deadLetters, Runnable onTerminate) {
        this.producer = producer;
        this.settings = settings;
        this.meters = meters;
        this.status = status;
        this.scheduler = scheduler;
        this.deadLetters = deadLetters;
        this.onTerminate = onTerminate;
    }

    /** The start check passed: where the records go. Relay thread, before the subscription. */
    void partitions(int partitions) {
        if (settings.partitionByKey()) {
            partition = null;
        } else {
            partition = settings.partition() != null ? settings.partition() : partitionOf(settings.ring(), partitions);
        }
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(settings.maxInFlight());
    }

    @Override
    protected void hookOnNext(Record record) {
        meters.inFlight.incrementAndGet();
        if (stopping) {
            return; // never sent: not released, so it stays in the ring for the next relay
        }
        final Outgoing outgoing = new Outgoing(record);
        if (!waiting.isEmpty()) {
            waiting.add(outgoing); // behind a parked record: keep ring order
            return;
        }
        final Exception failure = attempt(outgoing);
        if (failure != null) {
            failed(outgoing, failure);
        }
    }

    @Override
    protected void hookOnComplete() {
        upstreamDone = true;
        maybeFinish();
    }

    @Override
    protected void hookOnError(Throwable throwable) {
        fail(new RelayException("the Flux of ring '" + settings.ring() + "' failed: " + throwable, throwable));
    }

    /** Stops asking the ring for records and stops sending; acknowledgements still release. */
    void stop() {
        stopping = true;
    }

    /** Why the relay ended, or null. */
    Throwable error() {
        return error;
    }

    /** Whether the ring was closed and every record of it dealt with. */
    boolean drained() {
        return upstreamDone && meters.inFlight.get() == 0;
    }

    /** Whether records wait for Kafka (for the stall check). Relay thread. */
    boolean recordsWaiting() {
        return meters.inFlight.get() > 0 || !waiting.isEmpty();
    }

    /** Sends once; returns the failure that {@code send} reported synchronously, or null. Relay thread. */
    private Exception attempt(Outgoing outgoing) {
        relayThread = Thread.currentThread();
        sendFailure = null;
        final ProducerRecord<K, V> kafkaRecord;
        try {
            kafkaRecord = toKafka(outgoing.record);
        } catch (RuntimeException e) {
            return new PoisonFunctionException(e);
        }
        try {
            if (settings.observations() != null) {
                outgoing.observation = SendObservation.start(settings.observations(), kafkaRecord.headers(),
                        settings.ring(), settings.topic());
            }
            outgoing.attempts++;
            producer.send(kafkaRecord, outgoing);
        } catch (RuntimeException e) {
            return e;
        }
        final Exception failure = sendFailure;
        sendFailure = null;
        return failure;
    }

    private ProducerRecord<K, V> toKafka(Record record) {
        final Long timestamp = settings.timestamp() == null ? null : settings.timestamp().applyAsLong(record);
        final ProducerRecord<K, V> kafkaRecord = new ProducerRecord<>(settings.topic(), partition, timestamp,
                settings.key().apply(record), settings.value().apply(record));
        if (settings.headers() != null) {
            settings.headers().addHeaders(record, kafkaRecord.headers());
        }
        return kafkaRecord;
    }

    /** A send failed. Relay thread. */
    private void failed(Outgoing outgoing, Exception failure) {
        meters.errors.incrementAndGet();
        status.error(failure);
        outgoing.observationFailed(failure);
        if (stopping) {
            return; // not released: it stays in the ring
        }
        if (failure instanceof RetriableException || PoisonClassifier.isBystander(failure)) {
            waiting.add(outgoing);
            if (!retryScheduled && status.retryLogDue()) {
                log().warn("record at ring position {} of ring '{}' failed ({}); sending it again in {}, in ring "
                        + "order with the records parked behind it; if a later record was acknowledged meanwhile, it "
                        + "lands after that one (counted in ringbuf.kafka.records.reordered). Logged once per stall "
                        + "timeout while it repeats", outgoing.position, settings.ring(), failure,
                        settings.retryBackoff());
            }
            if (!retryScheduled) {
                retryScheduled = true;
                scheduler.schedule(this::retryWaiting, settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
            }
        } else if (PoisonClassifier.isPoison(failure)) {
            poison(outgoing, failure);
        } else {
            fail(new RelayException(describe(outgoing, failure) + "; this error is not about one record, so the relay stopped"
                    + " (the record stays in the ring)", failure));
        }
    }

    private String describe(Outgoing outgoing, Exception failure) {
        return "record at ring position " + outgoing.position + " of ring '" + settings.ring()
                + "' cannot be sent to " + settings.target() + ": " + failure;
    }

    /** A record that can never be sent: the poison policy decides. Relay thread. */
    private void poison(Outgoing outgoing, Exception failure) {
        switch (settings.poison().action()) {
            case SKIP -> {
                meters.skipped.incrementAndGet();
                log().warn("{}; skipped (poison policy skip), counted in ringbuf.kafka.records.skipped",
                        describe(outgoing, failure));
                release(outgoing);
            }
            case DEAD_LETTER -> deadLetters.send(outgoing.record, failure, (metadata, exception) -> {
                if (exception == null) {
                    meters.deadLettered.incrementAndGet();
                    log().warn("{}; sent to dead-letter topic '{}' at offset {} (poison policy deadLetter)",
                            describe(outgoing, failure), deadLetters.topic(), metadata.offset());
                    release(outgoing);
                } else {
                    fail(new RelayException(describe(outgoing, failure) + "; and the dead-letter topic '" + deadLetters.topic()
                            + "' rejected it too: " + exception + ". The relay stopped; the record stays in the ring",
                            exception));
                }
            });
            default -> fail(new RelayException(describe(outgoing, failure) + "; poison policy stop: the relay stopped and "
                    + "the record stays in the ring (a new relay meets it first). PoisonPolicy.skip() or "
                    + "PoisonPolicy.deadLetter(topic) go past such records, counted", failure));
        }
    }

    /** Sends the parked records again, oldest first, until one fails again. Relay thread. */
    private void retryWaiting() {
        retryScheduled = false;
        while (!waiting.isEmpty() && !stopping) {
            final Outgoing next = waiting.poll();
            final Exception failure = attempt(next);
            if (failure != null) {
                failed(next, failure);
                return;
            }
        }
    }

    /** Kafka acknowledged a record. I/O thread (or relay thread). */
    private void acknowledged(Outgoing outgoing) {
        meters.acknowledged(outgoing.firstSendNanos);
        status.acknowledged();
        if (highestAcknowledged.getAndAccumulate(outgoing.position, Math::max) > outgoing.position) {
            meters.reordered.incrementAndGet();
        }
        if (outgoing.position > rejectedAt.get()) {
            meters.overtaking.incrementAndGet(); // in the topic ahead of a record Kafka rejected
        }
        if (outgoing.observation != null) {
            outgoing.observation.stop();
        }
        release(outgoing);
    }

    /** Frees the record's ring space, then asks for one more. */
    private void release(Outgoing outgoing) {
        outgoing.record.release();
        meters.inFlight.decrementAndGet();
        if (!stopping) {
            request(1);
        }
        maybeFinish();
    }

    private void maybeFinish() {
        if (upstreamDone && meters.inFlight.get() == 0 && terminated.compareAndSet(false, true)) {
            onTerminate.run();
        }
    }

    /** Ends the relay with an error (any thread). */
    void fail(Throwable throwable) {
        stopping = true;
        if (error == null) {
            error = throwable;
        }
        if (terminated.compareAndSet(false, true)) {
            onTerminate.run();
        }
    }

    /**
     * The partition of a ring: the one Kafka's default partitioner gives a record keyed by the ring's name.
     *
     * @param ringName the ring's name
     * @param partitions the topic's partition count
     * @return the partition
     */
    static int partitionOf(String ringName, int partitions) {
        return Utils.toPositive(Utils.murmur2(ringName.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** A key, value, header or timestamp function threw on a record: that record is poison. */
    static final class PoisonFunctionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PoisonFunctionException(RuntimeException cause) {
            super("a key, value, header or timestamp function threw " + cause, cause);
        }
    }

    /** One record on its way to Kafka, and its send callback. */
    private final class Outgoing implements Callback {
        final Record record;
        final long position;
        final long firstSendNanos = System.nanoTime();
        int attempts;
        Observation observation;

        Outgoing(Record record) {
            this.record = record;
            this.position = record.position();
        }

        void observationFailed(Exception exception) {
            if (observation != null) {
                observation.error(exception);
                observation.stop();
                observation = null;
            }
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                acknowledged(this);
                return;
            }
            if (settings.poison().action() == PoisonPolicy.Action.STOP && PoisonClassifier.isPoison(exception)) {
                rejectedAt.accumulateAndGet(position, Math::min); // the relay stops here: count what overtakes it
            }
            if (Thread.currentThread() == relayThread) {
                sendFailure = exception; // inside send() on the relay thread: attempt() returns it
            } else if (stopping) {
                meters.errors.incrementAndGet(); // the relay is closing: not released, it stays in the ring
                status.error(exception);
            } else {
                try {
                    scheduler.schedule(() -> failed(this, exception));
                } catch (RejectedExecutionException closed) {
                    meters.errors.incrementAndGet(); // the relay closed meanwhile
                }
            }
        }
    }
}
