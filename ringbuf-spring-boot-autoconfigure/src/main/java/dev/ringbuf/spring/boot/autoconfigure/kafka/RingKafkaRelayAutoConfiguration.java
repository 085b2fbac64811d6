package dev.ringbuf.spring.boot.autoconfigure.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.PoisonPolicy;
import dev.ringbuf.kafka.RingKafkaRelay;
import dev.ringbuf.kafka.RingKafkaRelayBuilder;
import dev.ringbuf.spring.boot.autoconfigure.RingBufferAutoConfiguration;
import dev.ringbuf.spring.boot.autoconfigure.RingBufferProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One {@link RingKafkaRelay} per {@code ringbuf.kafka.relays.<name>} entry ({@link RingKafkaRelayProperties}),
 * sending on Spring Boot's Kafka connection details ({@code spring.kafka.bootstrap-servers}, or a {@link
 * KafkaConnectionDetails} bean such as a Testcontainers service connection) with {@code spring.kafka.producer.*}
 * and the relay's own {@code producer.*} over them; started and stopped in order by {@link RingKafkaRelays}, with
 * a health indicator ({@link RingKafkaRelayHealthIndicator}) when the actuator is present.
 *
 * <pre>
 * ringbuf.rings.events.capacity=4MB
 * ringbuf.rings.events.max-record-size=64KB
 * ringbuf.kafka.relays.events.topic=events
 * </pre>
 */
@AutoConfiguration(after = { RingBufferAutoConfiguration.class, KafkaAutoConfiguration.class })
@ConditionalOnClass({ RingKafkaRelay.class, KafkaProperties.class })
@ConditionalOnBooleanProperty(name = RingBufferProperties.ENABLED, matchIfMissing = true)
@EnableConfigurationProperties({ RingKafkaRelayProperties.class, KafkaProperties.class })
public class RingKafkaRelayAutoConfiguration {

    /** Creates the auto-configuration (Spring Boot does). */
    public RingKafkaRelayAutoConfiguration() {
    }

    /**
     * The relays, checked now (a missing topic property or ring bean fails startup) and started with the context.
     *
     * @param properties {@code ringbuf.kafka.*}
     * @param kafka {@code spring.kafka.*}
     * @param connectionDetails Boot's Kafka connection details, if any
     * @param beans where the rings are looked up, by name
     * @param meters the meter registry, if any
     * @param observations the observation registry, if any (with {@code observation-enabled=true}: W3C trace context
     *     in the records' headers)
     * @param customizers what properties cannot say
     * @return the relays' lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public RingKafkaRelays ringKafkaRelays(RingKafkaRelayProperties properties, KafkaProperties kafka,
            ObjectProvider<KafkaConnectionDetails> connectionDetails, BeanFactory beans,
            ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<RingKafkaRelayCustomizer> customizers) {
        final Map<String, Object> producer = producerProperties(kafka, connectionDetails.getIfAvailable());
        final Map<String, RingKafkaRelays.Definition> definitions = new LinkedHashMap<>();
        properties.getRelays().forEach((name, relay) -> {
            if (relay.isEnabled()) {
                definitions.put(name, definition(name, relay, producer, beans, meters, observations, customizers));
            }
        });
        return new RingKafkaRelays(definitions);
    }

    private static RingKafkaRelays.Definition definition(String name, RingKafkaRelayProperties.Relay relay,
            Map<String, Object> shared, BeanFactory beans, ObjectProvider<MeterRegistry> meters,
            ObjectProvider<ObservationRegistry> observations, ObjectProvider<RingKafkaRelayCustomizer> customizers) {
        final String prefix = RingKafkaRelayProperties.PREFIX + ".relays." + name;
        if (relay.getTopic() == null || relay.getTopic().isBlank()) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".topic", relay.getTopic(),
                    "every relay needs the topic it sends to");
        }
        if (relay.getPoisonPolicy() == RingKafkaRelayProperties.Poison.DEAD_LETTER
                && (relay.getDeadLetterTopic() == null || relay.getDeadLetterTopic().isBlank())) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".dead-letter-topic",
                    relay.getDeadLetterTopic(), "poison-policy=dead-letter needs the dead-letter topic");
        }
        requirePositive(prefix + ".drain-timeout", relay.getDrainTimeout(), true);
        requirePositive(prefix + ".close-timeout", relay.getCloseTimeout(), true);
        requirePositive(prefix + ".stall-timeout", relay.getStallTimeout(), false);
        final String ringName = relay.getRing() != null ? relay.getRing() : name;
        final RingBuffer ring;
        try {
            ring = beans.getBean(ringName, RingBuffer.class);
        } catch (NoSuchBeanDefinitionException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".ring", ringName, "no RingBuffer bean "
                    + "named '" + ringName + "': define it under ringbuf.rings." + ringName + " or as a bean");
        }
        final Map<String, Object> producer = new HashMap<>(shared);
        producer.putAll(relay.getProducer());
        final PoisonPolicy poison = switch (relay.getPoisonPolicy()) {
            case STOP -> PoisonPolicy.stop();
            case SKIP -> PoisonPolicy.skip();
            case DEAD_LETTER -> PoisonPolicy.deadLetter(relay.getDeadLetterTopic());
        };
        return new RingKafkaRelays.Definition(name, ring, relay.getDrainTimeout(), relay.getCloseTimeout(), r -> {
            final RingKafkaRelayBuilder<byte[], Record> builder = RingKafkaRelay.builder(r, producer)
                    .topic(relay.getTopic()).maxInFlight(relay.getMaxInFlight()).poisonPolicy(poison)
                    .stallTimeout(relay.getStallTimeout()).closeTimeout(relay.getCloseTimeout());
            if (relay.getPartition() != null) {
                builder.partition(relay.getPartition());
            }
            meters.ifAvailable(builder::metrics);
            if (relay.isObservationEnabled()) {
                observations.ifAvailable(builder::observations);
            }
            customizers.orderedStream().forEach(customizer -> customizer.customize(name, builder));
            return builder.start();
        });
    }

    /** {@code spring.kafka.producer.*} with the connection details' servers, security protocol and SSL bundle. */
    static Map<String, Object> producerProperties(KafkaProperties kafka, KafkaConnectionDetails details) {
        final Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        if (details != null) {
            final KafkaConnectionDetails.Configuration connection = details.getProducer();
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", connection.getBootstrapServers()));
            if (connection.getSecurityProtocol() != null) {
                producer.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, connection.getSecurityProtocol());
            }
            final SslBundle ssl = connection.getSslBundle();
            if (ssl != null) {
                producer.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
                producer.put(SslBundle.class.getName(), ssl);
            }
        }
        final Object servers = producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers instanceof List<?> list) {
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", list.stream().map(String::valueOf)
                    .toList()));
        }
        return producer;
    }

    private static void requirePositive(String property, Duration value, boolean zeroAllowed) {
        if (value == null || value.isNegative() || !zeroAllowed && value.isZero()) {
            throw new InvalidConfigurationPropertyValueException(property, value,
                    zeroAllowed ? "must be zero or positive" : "must be positive");
        }
    }

    /** The relays' health, when Spring Boot's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        /**
         * The relays' health indicator ({@code /actuator/health/ringbufKafkaRelays}).
         *
         * @param relays the relays
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "ringbufKafkaRelaysHealthIndicator")
        RingKafkaRelayHealthIndicator ringbufKafkaRelaysHealthIndicator(RingKafkaRelays relays) {
            return new RingKafkaRelayHealthIndicator(relays);
        }
    }
}
