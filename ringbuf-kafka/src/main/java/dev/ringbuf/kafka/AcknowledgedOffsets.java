package dev.ringbuf.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Deferred commits: per partition, the offsets received and not yet acknowledged, and the highest acknowledged.
 * The offset committed is never past the oldest unacknowledged record, whatever order records are acknowledged in
 * ({@code flatMap}, parallel work): a record acknowledged early waits for the ones before it.
 *
 * <p>Records are registered by the poll thread when they are polled (before they can be emitted or acknowledged);
 * {@link ReceivedRecord#acknowledge()} runs on any thread; the poll thread alone computes and commits.
 */
final class AcknowledgedOffsets {

    /** One assignment of one partition: acknowledgements of records from an earlier assignment are ignored. */
    static final class Partition {
        final TopicPartition topicPartition;
        private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
        /** The highest acknowledged offset + 1, or -1. */
        private final AtomicLong acknowledged = new AtomicLong(-1);
        private volatile boolean revoked;

        Partition(TopicPartition topicPartition) {
            this.topicPartition = topicPartition;
        }

        /** Poll thread, before the record is emitted. */
        void received(long offset) {
            pending.add(offset);
        }

        /** Any thread. Raise first, then remove: a commit computed in between stays at the pending offset. */
        void acknowledge(long offset) {
            if (!revoked) {
                acknowledged.accumulateAndGet(offset + 1, Math::max);
                pending.remove(offset);
            }
        }

        /** The offset that may be committed now: below every unacknowledged record, or -1 if none acknowledged. */
        long committable() {
            final long acked = acknowledged.get();
            if (acked < 0) {
                return -1;
            }
            final Long oldest = pending.isEmpty() ? null : pending.first();
            return oldest == null ? acked : Math.min(oldest, acked);
        }

        int unacknowledged() {
            return pending.size();
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    /** What was last committed per partition. Poll thread only. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** The current assignment's offsets of {@code partition}. Poll thread. */
    Partition partition(TopicPartition partition) {
        return partitions.computeIfAbsent(partition, Partition::new);
    }

    /** The committable offsets that moved since the last commit. Poll thread. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((tp, partition) -> {
            final long next = partition.committable();
            final Long last = committed.get(tp);
            if (next >= 0 && (last == null || next > last)) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        });
        return offsets;
    }

    /** The commit of {@code offsets} succeeded. Poll thread. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
    }

    /** A partition was given up: later acknowledgements of its records are ignored. Poll thread. */
    void forget(TopicPartition partition) {
        final Partition gone = partitions.remove(partition);
        if (gone != null) {
            gone.revoked = true;
        }
        committed.remove(partition);
    }

    /** Records received and not acknowledged, all partitions. */
    int unacknowledged() {
        return partitions.values().stream().mapToInt(Partition::unacknowledged).sum();
    }
}
