package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import org.apache.kafka.common.header.Headers;

/**
 * Adds Kafka headers to each relayed record, reading the ring's {@link Record} view (valid while it runs). Runs on
 * the relay's thread before the record is sent; W3C trace context headers, when an {@code ObservationRegistry} is
 * given to the relay, are added after it.
 *
 * <pre>{@code
 * relayBuilder.headers((record, headers) -> headers.add("schema", SCHEMA_V2));
 * }</pre>
 */
@FunctionalInterface
public interface RelayHeaders {

    /**
     * Adds headers for one record.
     *
     * @param record the ring record about to be sent
     * @param headers the Kafka record's headers, to add to
     */
    void addHeaders(Record record, Headers headers);
}
