package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A relay's configuration, as the builder checked it.
 *
 * @param ring the ring's name
 * @param target "topic 'x' on Kafka at bootstrap", for messages
 * @param topic the topic
 * @param partition the pinned partition, or null (the ring's hash, or the key's with {@code partitionByKey})
 * @param partitionByKey whether Kafka's partitioner places each record by its key (order per key)
 * @param key the key function
 * @param value the value function
 * @param headers the header hook, or null
 * @param timestamp the timestamp function, or null (the producer's clock)
 * @param poison the poison policy
 * @param maxInFlight the in-flight bound
 * @param retryBackoff the back-off before a parked record is sent again
 * @param closeTimeout how long a stop waits for acknowledgements
 * @param stallTimeout how long without an acknowledgement is a stall
 * @param observations the observation registry, or null
 * @param <K> the key type
 * @param <V> the value type
 */
record RelaySettings<K, V>(String ring, String target, String topic, Integer partition, boolean partitionByKey,
        Function<? super Record, ? extends K> key, Function<? super Record, ? extends V> value, RelayHeaders headers,
        ToLongFunction<? super Record> timestamp, PoisonPolicy poison, int maxInFlight, Duration retryBackoff,
        Duration closeTimeout, Duration stallTimeout, ObservationRegistry observations) {
}
