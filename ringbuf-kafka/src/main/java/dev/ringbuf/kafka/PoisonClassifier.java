package dev.ringbuf.kafka;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/** The one place that tells a poison record (an error about the record itself) from an error of the relay. */
final class PoisonClassifier {

    private PoisonClassifier() {
    }

    /**
     * Whether {@code failure} is about the record alone: sending it again can never succeed, and other records can.
     *
     * @param failure a non-retriable send failure
     * @return true for a record Kafka rejects or one a function or serializer cannot turn into a Kafka record
     */
    static boolean isPoison(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException || failure instanceof InvalidTimestampException
                || failure instanceof SerializationException
                || failure instanceof RelaySubscriber.PoisonFunctionException;
    }

    /** What Kafka's producer says of the other records of a batch the broker rejected for one invalid record. */
    private static final String BYSTANDER = "Failed to append record because it was part of a batch which had";

    /**
     * Whether {@code failure} failed an innocent record: one of a batch the broker rejected because of another
     * record in it (Kafka's record-level errors, KIP-467). Such a record is sent again, like a retriable failure.
     *
     * @param failure a send failure
     * @return true for the producer's plain {@code KafkaException} about a batch with invalid records
     */
    static boolean isBystander(Throwable failure) {
        return failure.getClass() == KafkaException.class && failure.getMessage() != null
                && failure.getMessage().startsWith(BYSTANDER);
    }
}
