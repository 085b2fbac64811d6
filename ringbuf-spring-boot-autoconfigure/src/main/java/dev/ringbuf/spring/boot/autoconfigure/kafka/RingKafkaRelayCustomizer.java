package dev.ringbuf.spring.boot.autoconfigure.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.kafka.RingKafkaRelayBuilder;

/**
 * Customizes the builder of each relay from {@code ringbuf.kafka.relays.<name>.*} before it starts: what
 * properties cannot say (a key extractor for partitioning by key, a header hook, a timestamp function).
 *
 * <pre>{@code
 * @Bean
 * RingKafkaRelayCustomizer byTenant() {
 *     return (name, relay) -> relay.partitionByKey(record -> tenantOf(record))   // order per tenant
 *             .headers((record, headers) -> headers.add("host", HOST));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RingKafkaRelayCustomizer {

    /**
     * Customizes one relay.
     *
     * @param relayName the relay's name ({@code ringbuf.kafka.relays.<name>})
     * @param builder its builder (keys: byte arrays, values: the ring's records)
     */
    void customize(String relayName, RingKafkaRelayBuilder<byte[], Record> builder);
}
