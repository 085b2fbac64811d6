package dev.ringbuf.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

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
    private final Collection<String> topics;
    private final Duration pollTimeout;
    private final Duration commitInterval;
    private final AcknowledgedOffsets offsets = new AcknowledgedOffsets();
    private final AtomicLong requested = new AtomicLong();
    /** Poll thread only. */
    private final ArrayDeque<ReceivedRecord<K, V>> buffer = new ArrayDeque<>();
    private volatile Consumer<K, V> consumer;
    private volatile boolean cancelled;
    private volatile long badRequest;

    ReceiverSubscription(Subscriber<? super ReceivedRecord<K, V>> actual, Supplier<Consumer<K, V>> consumerFactory,
            Collection<String> topics, Duration pollTimeout, Duration commitInterval) {
        this.actual = actual;
        this.consumerFactory = consumerFactory;
        this.topics = topics;
        this.pollTimeout = pollTimeout;
        this.commitInterval = commitInterval;
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
            c.subscribe(topics, new Rebalance(c));
            long nextCommit = System.nanoTime() + commitInterval.toNanos();
            while (!cancelled) {
                if (badRequest != 0) {
                    throw new IllegalArgumentException("request(" + badRequest + "): demand must be positive"
                            + " (Reactive Streams rule 3.9)");
                }
                emit();
                pauseOrResume(c);
                try {
                    final ConsumerRecords<K, V> records = c.poll(pollTimeout);
                    for (ConsumerRecord<K, V> record : records) {
                        buffer.add(new ReceivedRecord<>(record,
                                new TopicPartition(record.topic(), record.partition()), offsets));
                    }
                } catch (WakeupException woken) {
                    // request() or cancel(): go round
                }
                emit();
                if (System.nanoTime() - nextCommit >= 0) {
                    commit(c, false);
                    nextCommit = System.nanoTime() + commitInterval.toNanos();
                }
            }
            commitLast(c);
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer = null;
        }
        if (failure != null && !cancelled) {
            actual.onError(failure);
        }
    }

    /** Emits buffered records while there is demand. Poll thread. */
    private void emit() {
        long r = requested.get();
        long emitted = 0;
        while (emitted != r && !buffer.isEmpty() && !cancelled) {
            actual.onNext(buffer.poll());
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
            c.commitSync(toCommit);
            offsets.committed(toCommit);
        } else {
            c.commitAsync(toCommit, (committed, error) -> {
                if (error == null) {
                    offsets.committed(committed); // runs on the poll thread, inside a later poll or commit
                }
            });
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
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the consumer starts at the committed offset (or auto.offset.reset)
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            buffer.removeIf(record -> partitions.contains(record.topicPartition()));
            partitions.forEach(offsets::forget);
        }
    }
}
