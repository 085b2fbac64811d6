package dev.ringbuf.kafka;

import dev.ringbuf.core.Timeouts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.util.Loggers;

/**
 * One subscriber's consumer: a dedicated poll thread owns the {@code KafkaConsumer} (which is not thread-safe),
 * buffers what {@code poll} returns, emits against demand, pauses every assigned partition while the buffer
 * covers the outstanding demand and resumes them when it does not, and commits acknowledged offsets.
 *
 * <p>Every signal to the subscriber comes from the poll thread, so they are serialized. {@link #request} and
 * {@link #cancel} only update atomics and {@code wakeup()} the consumer, which is its one thread-safe method.
 */
final class ReceiverSubscription<K, V> implements Subscription, Runnable {

    private final Subscriber<? super ReceivedRecord<K, V>> actual;
    private final Supplier<Consumer<K, V>> consumerFactory;
    private final ReceiverSettings settings;
    private final ReceiverMeters meters;
    private final AcknowledgedOffsets offsets = new AcknowledgedOffsets();
    /** Work for the consumer from other threads ({@code doOnConsumer}), run by the poll thread. */
    private final ConcurrentLinkedQueue<java.util.function.Consumer<Consumer<K, V>>> tasks =
            new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    /** Poll thread only. */
    private final ArrayDeque<ReceivedRecord<K, V>> buffer = new ArrayDeque<>();
    private volatile Consumer<K, V> consumer;
    private volatile boolean cancelled;
    /** Set once the poll thread left its loop and closed the consumer. */
    private volatile boolean ended;
    private volatile long badRequest;

    ReceiverSubscription(Subscriber<? super ReceivedRecord<K, V>> actual, Supplier<Consumer<K, V>> consumerFactory,
            ReceiverSettings settings, ReceiverMeters meters) {
        this.actual = actual;
        this.consumerFactory = consumerFactory;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * Runs {@code task} on the poll thread with the consumer, at the next turn of the loop; with null once the
     * subscription ended (the consumer is closed). Any thread.
     */
    void submit(java.util.function.Consumer<Consumer<K, V>> task) {
        tasks.add(task);
        wakeup();
        if (ended) {
            runTasks(null); // the poll thread is gone: tell the task (each one is taken once)
        }
    }

    /** Records received and not acknowledged (for the gauge). */
    int unacknowledged() {
        return offsets.unacknowledged();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            badRequest = n; // rule 3.9: the poll thread signals the error
            wakeup();
            return;
        }
        long previous;
        long next;
        do {
            previous = requested.get();
            next = previous + n < 0 ? Long.MAX_VALUE : previous + n;
        } while (previous != Long.MAX_VALUE && !requested.compareAndSet(previous, next));
        if (previous == 0) {
            wakeup(); // the partitions may be paused: poll again now rather than after pollTimeout
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        wakeup();
    }

    private void wakeup() {
        final Consumer<K, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        Throwable failure = null;
        try (Consumer<K, V> c = consumerFactory.get()) {
            consumer = c;
            c.subscribe(settings.topics(), new Rebalance(c));
            final Duration pollTimeout = settings.pollTimeout();
            long nextCommit = Timeouts.deadline(settings.commitInterval());
            while (!cancelled) {
                if (badRequest != 0) {
                    throw new IllegalArgumentException("request(" + badRequest + "): demand must be positive"
                            + " (Reactive Streams rule 3.9)");
                }
                runTasks(c);
                emit();
                pauseOrResume(c);
                try {
                    final ConsumerRecords<K, V> records = c.poll(pollTimeout);
                    for (ConsumerRecord<K, V> record : records) {
                        final AcknowledgedOffsets.Partition partition = offsets.partition(
                                new TopicPartition(record.topic(), record.partition()));
                        partition.received(record.offset()); // before it can be emitted: commits wait for it
                        buffer.add(new ReceivedRecord<>(record, partition));
                    }
                    updateLag(c);
                } catch (WakeupException woken) {
                    // request(), cancel() or a task: go round
                } catch (RecordDeserializationException rejected) {
                    deserializationFailed(c, rejected);
                }
                emit();
                if (System.nanoTime() - nextCommit >= 0) {
                    commit(c, false);
                    nextCommit = Timeouts.deadline(settings.commitInterval());
                }
            }
            commitLast(c);
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer = null;
            ended = true;
            runTasks(null);
        }
        if (failure != null && !cancelled) {
            actual.onError(failure);
        }
    }

    private void runTasks(Consumer<K, V> c) {
        for (java.util.function.Consumer<Consumer<K, V>> task = tasks.poll(); task != null; task = tasks.poll()) {
            task.accept(cancelled ? null : c); // cancelled: the consumer is about to close, refuse the task
        }
    }

    /** A record the deserializer rejects: the policy decides. Poll thread. */
    private void deserializationFailed(Consumer<K, V> c, RecordDeserializationException rejected) {
        meters.deserializationFailures.incrementAndGet();
        final String where = "record at offset " + rejected.offset() + " of " + rejected.topicPartition()
                + " (group '" + settings.group() + "')";
        if (settings.onDeserializationFailure() != null) {
            settings.onDeserializationFailure().accept(rejected);
        }
        if (settings.deserializationFailure() == DeserializationFailurePolicy.FAIL) {
            throw new ReceiverException("cannot deserialize the " + where + ": " + rejected.getCause()
                    + "; nothing past it is committed. DeserializationFailurePolicy.SKIP goes past such records, "
                    + "counted", rejected);
        }
        Loggers.getLogger(RingKafkaReceiver.class).warn("skipped the {}: {} (DeserializationFailurePolicy.SKIP, "
                + "counted in ringbuf.kafka.receiver.deserialization.failures)", where, rejected.getCause());
        c.seek(rejected.topicPartition(), rejected.offset() + 1);
    }

    /** Records behind the end of the assigned partitions, as the last fetches said. Poll thread. */
    private void updateLag(Consumer<K, V> c) {
        long lag = 0;
        for (TopicPartition partition : c.assignment()) {
            lag += c.currentLag(partition).orElse(0);
        }
        meters.lag.set(lag);
    }

    /** Emits buffered records while there is demand. Poll thread. */
    private void emit() {
        long r = requested.get();
        long emitted = 0;
        while (emitted != r && !buffer.isEmpty() && !cancelled) {
            actual.onNext(buffer.poll());
            meters.records.incrementAndGet();
            emitted++;
            if (emitted == r) {
                r = requested.get(); // more may have been requested meanwhile
            }
        }
        if (emitted != 0 && r != Long.MAX_VALUE) {
            requested.addAndGet(-emitted);
        }
    }

    /** Pauses every assigned partition while the buffer covers the demand; resumes them otherwise. Poll thread. */
    private void pauseOrResume(Consumer<K, V> c) {
        final Set<TopicPartition> assigned = c.assignment();
        if (buffer.size() >= requested.get()) {
            c.pause(assigned);
        } else if (!c.paused().isEmpty()) {
            c.resume(c.paused());
        }
    }

    /** Commits what was acknowledged for partitions this consumer still owns. Poll thread. */
    private void commit(Consumer<K, V> c, boolean sync) {
        final Map<TopicPartition, OffsetAndMetadata> toCommit = offsets.toCommit();
        toCommit.keySet().retainAll(c.assignment());
        if (toCommit.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                c.commitSync(toCommit);
            } catch (RuntimeException e) {
                committed(toCommit, e);
                throw e;
            }
            committed(toCommit, null);
        } else {
            c.commitAsync(toCommit, this::committed); // the callback runs on the poll thread, in a later poll
        }
    }

    /** A commit ended. Poll thread. */
    private void committed(Map<TopicPartition, OffsetAndMetadata> committed, Exception error) {
        if (error == null) {
            offsets.committed(committed);
            meters.commits.incrementAndGet();
        } else if (!(error instanceof WakeupException)) {
            meters.commitFailures.incrementAndGet();
        }
        if (settings.onCommit() != null && !(error instanceof WakeupException)) {
            settings.onCommit().onCommit(committed, error);
        }
    }

    /** A synchronous commit that a pending {@code wakeup()} (from cancel or request) does not lose. Poll thread. */
    private void commitLast(Consumer<K, V> c) {
        try {
            commit(c, true);
        } catch (WakeupException woken) {
            commit(c, true); // the wakeup is consumed: the second attempt runs to the end
        }
    }

    /** Before a partition is given up: commit its acknowledged offsets, drop its buffered records. Poll thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final Consumer<K, V> c;

        Rebalance(Consumer<K, V> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitLast(c);
            buffer.removeIf(record -> partitions.contains(record.topicPartition()));
            partitions.forEach(offsets::forget);
            if (settings.onRevoked() != null) {
                settings.onRevoked().onPartitions(c, partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the consumer starts at the committed offset (or auto.offset.reset), unless the listener seeks
            if (settings.onAssigned() != null) {
                settings.onAssigned().onPartitions(c, partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            buffer.removeIf(record -> partitions.contains(record.topicPartition()));
            partitions.forEach(offsets::forget);
        }
    }
}
