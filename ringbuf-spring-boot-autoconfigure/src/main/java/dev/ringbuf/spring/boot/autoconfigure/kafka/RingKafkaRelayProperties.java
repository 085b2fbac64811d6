package dev.ringbuf.spring.boot.autoconfigure.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ringbuf.kafka.relays.<name>.*}: one Kafka relay per entry.
 *
 * <pre>
 * spring.kafka.bootstrap-servers=kafka:9092          # or Boot's KafkaConnectionDetails (Testcontainers, ...)
 * spring.kafka.producer.compression-type=lz4         # spring.kafka.producer.* applies to every relay
 * ringbuf.rings.events.capacity=4MB
 * ringbuf.kafka.relays.events.topic=events           # ring: the relay's name unless ring= says otherwise
 * ringbuf.kafka.relays.events.poison-policy=dead-letter
 * ringbuf.kafka.relays.events.dead-letter-topic=events.dlt
 * </pre>
 */
@ConfigurationProperties(RingKafkaRelayProperties.PREFIX)
public class RingKafkaRelayProperties {

    /** Creates the properties with no relay (Spring Boot binds them). */
    public RingKafkaRelayProperties() {
    }

    /** The prefix of these properties. */
    public static final String PREFIX = "ringbuf.kafka";

    /** The relays, by name. */
    private Map<String, Relay> relays = new LinkedHashMap<>();

    /**
     * The relays, by name.
     *
     * @return the relays
     */
    public Map<String, Relay> getRelays() {
        return relays;
    }

    /**
     * Sets the relays.
     *
     * @param relays the relays, by name
     */
    public void setRelays(Map<String, Relay> relays) {
        this.relays = relays;
    }

    /** What a record that can never be sent does ({@code dev.ringbuf.kafka.PoisonPolicy}). */
    public enum Poison {
        /** The relay stops; the record stays in the ring. */
        STOP,
        /** The record is skipped, counted and logged. */
        SKIP,
        /** The record goes to {@code dead-letter-topic} with the cause in its headers. */
        DEAD_LETTER
    }

    /** One relay: a ring, a topic, and how to treat what goes wrong. */
    public static class Relay {

        /** Creates a relay definition with the defaults. */
        public Relay() {
        }

        /** Whether this relay runs. */
        private boolean enabled = true;
        /** The name of the RingBuffer bean to relay (a ringbuf.rings entry); default: the relay's name. */
        private String ring;
        /** The topic to send to (required; it must exist). */
        private String topic;
        /** The partition every record goes to; default: the one Kafka's partitioner gives the ring's name. */
        private Integer partition;
        /** What a record that can never be sent does. */
        private Poison poisonPolicy = Poison.STOP;
        /** The dead-letter topic, for poison-policy=dead-letter (it must exist). */
        private String deadLetterTopic;
        /** The most records sent and not yet acknowledged. */
        private int maxInFlight = 256;
        /** How long records may wait without an acknowledgement before the relay reports a stall. */
        private Duration stallTimeout = Duration.ofSeconds(10);
        /** At shutdown, how long the relay may take to send what the closed ring still holds. */
        private Duration drainTimeout = Duration.ofSeconds(10);
        /** Then how long a stop waits for the records in flight to be acknowledged. */
        private Duration closeTimeout = Duration.ofSeconds(10);
        /**
         * Whether each send is observed with the application's ObservationRegistry (W3C trace context in the records'
         * headers through Micrometer Tracing; a timer per send), as spring.kafka.template.observation-enabled.
         */
        private boolean observationEnabled;
        /** Producer properties for this relay, over spring.kafka.producer.* (for example linger.ms). */
        private Map<String, String> producer = new LinkedHashMap<>();

        /**
         * Whether this relay runs.
         *
         * @return whether it runs
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether this relay runs.
         *
         * @param enabled whether it runs
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The ring bean's name, or null for the relay's name.
         *
         * @return the ring bean's name
         */
        public String getRing() {
            return ring;
        }

        /**
         * Sets the ring bean's name.
         *
         * @param ring the ring bean's name
         */
        public void setRing(String ring) {
            this.ring = ring;
        }

        /**
         * The topic.
         *
         * @return the topic
         */
        public String getTopic() {
            return topic;
        }

        /**
         * Sets the topic.
         *
         * @param topic the topic
         */
        public void setTopic(String topic) {
            this.topic = topic;
        }

        /**
         * The pinned partition, or null.
         *
         * @return the partition
         */
        public Integer getPartition() {
            return partition;
        }

        /**
         * Sets the pinned partition.
         *
         * @param partition the partition
         */
        public void setPartition(Integer partition) {
            this.partition = partition;
        }

        /**
         * The poison policy.
         *
         * @return the policy
         */
        public Poison getPoisonPolicy() {
            return poisonPolicy;
        }

        /**
         * Sets the poison policy.
         *
         * @param poisonPolicy the policy
         */
        public void setPoisonPolicy(Poison poisonPolicy) {
            this.poisonPolicy = poisonPolicy;
        }

        /**
         * The dead-letter topic.
         *
         * @return the topic, or null
         */
        public String getDeadLetterTopic() {
            return deadLetterTopic;
        }

        /**
         * Sets the dead-letter topic.
         *
         * @param deadLetterTopic the topic
         */
        public void setDeadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
        }

        /**
         * The in-flight bound.
         *
         * @return records
         */
        public int getMaxInFlight() {
            return maxInFlight;
        }

        /**
         * Sets the in-flight bound.
         *
         * @param maxInFlight records
         */
        public void setMaxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        /**
         * The stall timeout.
         *
         * @return the timeout
         */
        public Duration getStallTimeout() {
            return stallTimeout;
        }

        /**
         * Sets the stall timeout.
         *
         * @param stallTimeout the timeout
         */
        public void setStallTimeout(Duration stallTimeout) {
            this.stallTimeout = stallTimeout;
        }

        /**
         * The drain timeout at shutdown.
         *
         * @return the timeout
         */
        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        /**
         * Sets the drain timeout at shutdown.
         *
         * @param drainTimeout the timeout
         */
        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        /**
         * The close timeout.
         *
         * @return the timeout
         */
        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        /**
         * Sets the close timeout.
         *
         * @param closeTimeout the timeout
         */
        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        /**
         * Whether sends are observed.
         *
         * @return whether sends are observed
         */
        public boolean isObservationEnabled() {
            return observationEnabled;
        }

        /**
         * Sets whether sends are observed.
         *
         * @param observationEnabled whether sends are observed
         */
        public void setObservationEnabled(boolean observationEnabled) {
            this.observationEnabled = observationEnabled;
        }

        /**
         * This relay's producer properties.
         *
         * @return the properties
         */
        public Map<String, String> getProducer() {
            return producer;
        }

        /**
         * Sets this relay's producer properties.
         *
         * @param producer the properties
         */
        public void setProducer(Map<String, String> producer) {
            this.producer = producer;
        }
    }
}
