package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Utils;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * The relay's engine: sends each record of the ring's manual-release Flux to Kafka and releases it in the send
 * callback, once Kafka acknowledged it. Demand is the free in-flight slots: {@code maxInFlight} at first, one more
 * per acknowledgement.
 *
 * <p>Threads: {@code onNext}, retries and failure handling run on the relay's single-thread scheduler (the Flux's
 * worker runs there too), so {@link #waiting} and {@link #partition} have one thread. Acknowledgements run on the
 * producer's I/O thread: they only release, count and request, all thread-safe.
 *
 * <p>Order: Kafka keeps the order of one producer's sends to one partition (idempotence, at most 5 requests in
 * flight) and retries internally until {@code delivery.timeout.ms} (the relay's default: forever). A send that
 * fails retriably before reaching the producer's buffer (metadata not available within {@code max.block.ms}) is
 * parked in {@link #waiting}, ordered by ring position, with every record emitted after it; they are sent again in
 * that order after a back-off.
 */
final class RelaySubscriber<K, V> extends BaseSubscriber<Record> {

    private final Producer<K, V> producer;
    private final String topic;
    private final String ringName;
    private final Function<? super Record, ? extends K> key;
    private final Function<? super Record, ? extends V> value;
    private final int maxInFlight;
    private final RelayMeters meters;
    private final Scheduler scheduler;
    private final Duration retryBackoff;
    private final Runnable onTerminate;
    private final AtomicBoolean terminated = new AtomicBoolean();

    /** The partition every record of the ring goes to; resolved at the first send. Relay thread only. */
    private Integer partition;
    /** Parked records, oldest ring position first. Relay thread only. */
    private final PriorityQueue<Outgoing> waiting = new PriorityQueue<>(Comparator.comparingLong(o -> o.position));
    /** Relay thread only. */
    private boolean retryScheduled;
    /** The relay thread, so that a callback can tell it runs inside {@code send} on it. */
    private volatile Thread relayThread;
    /** A failure reported by the callback while {@code send} runs on the relay thread. Relay thread only. */
    private Exception sendFailure;

    /** Set by dispose or a fatal error (any thread), read by the relay and I/O threads: stop requesting, retrying. */
    private volatile boolean stopping;
    /** Set on the relay thread by onComplete, read by the I/O thread's last acknowledgement: then the relay ends. */
    private volatile boolean upstreamDone;
    /** Written before onTerminate runs; read by the closer thread, which onTerminate starts (Thread.start orders). */
    private volatile Throwable error;

    RelaySubscriber(Producer<K, V> producer, String topic, Integer partition, String ringName,
            Function<? super Record, ? extends K> key, Function<? super Record, ? extends V> value, int maxInFlight,
            RelayMeters meters, Scheduler scheduler, Duration retryBackoff, Runnable onTerminate) {
        this.producer = producer;
        this.topic = topic;
        this.partition = partition;
        this.ringName = ringName;
        this.key = key;
        this.value = value;
        this.maxInFlight = maxInFlight;
        this.meters = meters;
        this.scheduler = scheduler;
        this.retryBackoff = retryBackoff;
        this.onTerminate = onTerminate;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(maxInFlight);
    }

    @Override
    protected void hookOnNext(Record record) {
        meters.inFlight.incrementAndGet();
        if (stopping) {
            return; // held until the relay's cancel releases it
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
        fail(new RelayException("the Flux of ring '" + ringName + "' failed: " + throwable, throwable));
    }

    /** Stops asking the ring for records and stops retrying; acknowledgements still release. */
    void stop() {
        stopping = true;
    }

    /** Why the relay ended, or null. */
    Throwable error() {
        return error;
    }

    /** Sends once; returns the failure that {@code send} reported synchronously, or null. Relay thread. */
    private Exception attempt(Outgoing outgoing) {
        relayThread = Thread.currentThread();
        sendFailure = null;
        try {
            if (partition == null) {
                final int partitions = producer.partitionsFor(topic).size();
                if (partitions == 0) {
                    throw new IllegalStateException("topic '" + topic + "' has no partitions");
                }
                partition = partitionOf(ringName, partitions);
            }
            outgoing.attempts++;
            producer.send(new ProducerRecord<>(topic, partition, key.apply(outgoing.record),
                    value.apply(outgoing.record)), outgoing);
        } catch (RuntimeException e) {
            return e;
        }
        final Exception failure = sendFailure;
        sendFailure = null;
        return failure;
    }

    /** A send failed. Relay thread. */
    private void failed(Outgoing outgoing, Exception failure) {
        meters.errors.incrementAndGet();
        if (stopping) {
            return;
        }
        if (!(failure instanceof RetriableException)) {
            fail(new RelayException("record at ring position " + outgoing.position + " of ring '" + ringName
                    + "' cannot be sent to topic '" + topic + "': " + failure, failure));
            return;
        }
        waiting.add(outgoing);
        if (!retryScheduled) {
            retryScheduled = true;
            scheduler.schedule(this::retryWaiting, retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Kafka acknowledged a record: free its ring space, then ask for one more. I/O thread (or relay thread). */
    private void acknowledged(Outgoing outgoing) {
        meters.acknowledged(outgoing.firstSendNanos);
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

    private void fail(Throwable throwable) {
        stopping = true;
        error = throwable;
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
        return Utils.toPositive(Utils.murmur2(ringName.getBytes(StandardCharsets.UTF_8)))
                % partitions;
    }

    /** One record on its way to Kafka, and its send callback. */
    private final class Outgoing implements Callback {
        final Record record;
        final long position;
        final long firstSendNanos = System.nanoTime();
        int attempts;

        Outgoing(Record record) {
            this.record = record;
            this.position = record.position();
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                acknowledged(this);
            } else if (Thread.currentThread() == relayThread) {
                sendFailure = exception; // inside send() on the relay thread: attempt() returns it
            } else if (stopping) {
                meters.errors.incrementAndGet(); // the relay is closing: nothing is retried
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
