package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator per ring ({@link RingBufferHealthIndicator}), grouped under {@code ringbuf}
 * ({@code /actuator/health/ringbuf/<name>}), when Spring Boot's health support (the actuator) is on the classpath.
 * {@code management.health.ringbuf.enabled=false} turns it off.
 */
@AutoConfiguration(after = RingBufferAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = RingBufferProperties.ENABLED, matchIfMissing = true)
@ConditionalOnClass({ RingBuffer.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RingBuffer.class)
@ConditionalOnEnabledHealthIndicator("ringbuf")
public class RingBufferHealthAutoConfiguration {

    /** Creates the auto-configuration (Spring Boot does). */
    public RingBufferHealthAutoConfiguration() {
    }

    /**
     * The rings' health, one indicator per {@code RingBuffer} bean, by bean name.
     *
     * @param rings every {@code RingBuffer} bean, by bean name
     * @param properties {@code ringbuf.health.blocked-threshold} and {@code ringbuf.health.window}
     * @return the composite contributor, named {@code ringbuf} in the health endpoint
     */
    @Bean
    @ConditionalOnMissingBean(name = "ringbufHealthContributor")
    public CompositeHealthContributor ringbufHealthContributor(Map<String, RingBuffer> rings,
            RingBufferProperties properties) {
        final Duration threshold = properties.getHealth().getBlockedThreshold();
        if (threshold == null || threshold.isNegative() || threshold.isZero()) {
            throw new InvalidConfigurationPropertyValueException(RingBufferProperties.PREFIX
                    + ".health.blocked-threshold", threshold, "the blocked threshold must be positive, e.g. 5s");
        }
        final Duration window = properties.getHealth().getWindow();
        if (window == null || window.isNegative() || window.isZero()) {
            throw new InvalidConfigurationPropertyValueException(RingBufferProperties.PREFIX + ".health.window",
                    window, "the window must be positive, e.g. 1m");
        }
        return CompositeHealthContributor.fromMap(rings,
                ring -> new RingBufferHealthIndicator(ring, threshold, window));
    }
}
