package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's {@code MockProducer} (acknowledgements by hand) that also notes the sequence number in every send
 * attempt's value (read while the record is still held), and can fail the next sends inside {@code send} the way
 * {@code KafkaProducer} reports a metadata timeout: the callback runs on the caller's thread.
 */
final class ScriptedProducer extends MockProducer<byte[], Record> {

    private final List<Long> attempts = new ArrayList<>();
    private int failNextSends;

    ScriptedProducer(Cluster cluster) {
        super(cluster, false, null, new ByteArraySerializer(), new RecordSerializer());
    }

    static long sequence(Record record) {
        return ByteBuffer.wrap(new RecordSerializer().serialize("t", record)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    synchronized void failNextSends(int sends) {
        failNextSends = sends;
    }

    synchronized List<Long> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], Record> record, Callback callback) {
        attempts.add(sequence(record.value()));
        if (failNextSends > 0) {
            failNextSends--;
            final TimeoutException timeout = new TimeoutException("Topic not present in metadata (scripted)");
            callback.onCompletion(null, timeout);
            return CompletableFuture.failedFuture(timeout);
        }
        return super.send(record, callback);
    }
}
