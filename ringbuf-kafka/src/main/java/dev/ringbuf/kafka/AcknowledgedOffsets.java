package dev.ringbuf.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The next offset to commit per partition: raised by {@link ReceivedRecord#acknowledge()} on any thread, taken by
 * the receiver's poll thread, which alone commits.
 */
final class AcknowledgedOffsets {

    private final ConcurrentHashMap<TopicPartition, Long> acknowledged = new ConcurrentHashMap<>();
    /** What was last committed per partition. Poll thread only. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    void acknowledge(TopicPartition partition, long nextOffset) {
        acknowledged.merge(partition, nextOffset, Math::max);
    }

    /** The offsets acknowledged since the last commit. Poll thread. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        acknowledged.forEach((partition, next) -> {
            final Long last = committed.get(partition);
            if (last == null || next > last) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        return offsets;
    }

    /** The commit of {@code offsets} succeeded. Poll thread. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
    }

    /** A partition was given up: forget it (a later owner starts from the committed offset). Poll thread. */
    void forget(TopicPartition partition) {
        acknowledged.remove(partition);
        committed.remove(partition);
    }
}
