package dev.ringbuf.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer configuration the relay runs with: the user's properties, checked against what the relay's
 * guarantees need (idempotence, {@code acks=all}, at most 5 requests in flight per connection), plus the relay's
 * defaults (deliver until acknowledged: {@code delivery.timeout.ms} and {@code retries} at their maximum).
 */
final class ProducerSettings {

    /** Kafka keeps order per partition for an idempotent producer with at most this many requests in flight. */
    static final int MAX_REQUESTS_IN_FLIGHT = 5;

    private ProducerSettings() {
    }

    /**
     * The checked configuration.
     *
     * @param properties the user's producer properties (must name {@code bootstrap.servers})
     * @param ringName the ring's name, for the default {@code client.id}
     * @return a new map: the user's properties with the relay's requirements and defaults
     * @throws IllegalArgumentException if a property contradicts a requirement
     */
    static Map<String, Object> of(Map<String, ?> properties, String ringName) {
        Objects.requireNonNull(properties, "producer properties must not be null");
        final Map<String, Object> config = new HashMap<>(properties);
        if (!config.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("producer properties must set " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
        require(config, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                "the relay needs an idempotent producer (no duplicates from Kafka's own retries, order per partition)");
        final Object acks = config.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !"all".equalsIgnoreCase(acks.toString()) && !"-1".equals(acks.toString())) {
            throw new IllegalArgumentException("acks=" + acks + ": the relay releases a record's ring space only"
                    + " when every in-sync replica has it, so acks must be 'all'");
        }
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        final Object inFlight = config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null) {
            final int requests = Integer.parseInt(inFlight.toString().trim());
            if (requests < 1 || requests > MAX_REQUESTS_IN_FLIGHT) {
                throw new IllegalArgumentException(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + "="
                        + requests + ": must be 1 to " + MAX_REQUESTS_IN_FLIGHT
                        + " (an idempotent producer keeps order per partition only up to 5)");
            }
        }
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.putIfAbsent(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ringbuf-relay-" + ringName);
        return config;
    }

    private static void require(Map<String, Object> config, String key, String value, String why) {
        final Object given = config.get(key);
        if (given != null && !value.equals(given.toString().trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(key + "=" + given + ": must be " + value + ", because " + why);
        }
        config.put(key, value);
    }
}
