package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Sends poison records to the dead-letter topic ({@link PoisonPolicy#deadLetter}) with a byte-array producer of
 * its own (the relay's producer has the user's key and value types, and the value function may be what failed),
 * made at the first poison record from the relay's producer configuration.
 */
final class DeadLetters {

    /** Room left for the batch header, the record overhead and the headers within {@code max.request.size}. */
    static final int OVERHEAD = 1024;

    private final String topic;
    private final String ring;
    private final String originalTopic;
    private final long maxPayload;
    private final Map<String, Object> config;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> factory;
    private volatile Producer<byte[], byte[]> producer;

    DeadLetters(String topic, String ring, String originalTopic, long maxRequestSize, Map<String, Object> config,
            Function<Map<String, Object>, Producer<byte[], byte[]>> factory) {
        this.topic = topic;
        this.ring = ring;
        this.originalTopic = originalTopic;
        this.maxPayload = maxRequestSize - OVERHEAD;
        this.config = config;
        this.factory = factory;
    }

    String topic() {
        return topic;
    }

    /** Sends the record's payload with the cause in headers. Relay thread. */
    void send(Record record, Throwable cause, Callback callback) {
        Producer<byte[], byte[]> p = producer;
        if (p == null) {
            p = factory.apply(config);
            producer = p;
        }
        final int length = record.length();
        final ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, null,
                length <= maxPayload ? record.toByteArray() : null);
        final Headers headers = letter.headers();
        add(headers, PoisonPolicy.HEADER_RING, ring);
        add(headers, PoisonPolicy.HEADER_POSITION, Long.toString(record.position()));
        add(headers, PoisonPolicy.HEADER_TOPIC, originalTopic);
        add(headers, PoisonPolicy.HEADER_EXCEPTION, cause.getClass().getName());
        add(headers, PoisonPolicy.HEADER_MESSAGE, String.valueOf(cause.getMessage()));
        if (length > maxPayload) {
            add(headers, PoisonPolicy.HEADER_PAYLOAD_LENGTH, Integer.toString(length));
        }
        p.send(letter, callback);
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    void close(Duration timeout) {
        final Producer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close(timeout);
        }
    }
}
