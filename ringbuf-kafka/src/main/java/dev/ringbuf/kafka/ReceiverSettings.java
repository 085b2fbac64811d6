package dev.ringbuf.kafka;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * A receiver's configuration, as its builder checked it.
 *
 * @param group the consumer group
 * @param topics the topics
 * @param pollTimeout the longest poll
 * @param commitInterval how often acknowledged offsets are committed
 * @param deserializationFailure what a rejected record does
 * @param onDeserializationFailure hears a rejected record before the policy applies, or null
 * @param onAssigned hears assignments, or null
 * @param onRevoked hears revocations, or null
 * @param onCommit hears commit results, or null
 */
record ReceiverSettings(String group, List<String> topics, Duration pollTimeout, Duration commitInterval,
        DeserializationFailurePolicy deserializationFailure,
        Consumer<RecordDeserializationException> onDeserializationFailure, PartitionsListener onAssigned,
        PartitionsListener onRevoked, CommitListener onCommit) {
}
