package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The rings of {@code ringbuf.rings.<name>.*} as {@link RingBuffer} beans ({@link RingBufferRegistrar}), and
 * their ordered shutdown ({@link RingBufferLifecycle}).
 *
 * <pre>
 * ringbuf.rings.events.capacity=1MB
 * </pre>
 * <pre>{@code
 * @Service
 * class Clicks {
 *     Clicks(@Qualifier("events") RingBuffer ring) { ... }      // or Map<String, RingBuffer> for every ring
 * }
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnClass(RingBuffer.class)
@EnableConfigurationProperties(RingBufferProperties.class)
@Import(RingBufferRegistrar.class)
public class RingBufferAutoConfiguration {

    /**
     * Closes every ring at shutdown, before the web server stops, and waits for their consumers to drain them.
     *
     * @param rings every {@code RingBuffer} bean
     * @param properties {@code ringbuf.shutdown.drain-timeout}
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public RingBufferLifecycle ringBufferLifecycle(ObjectProvider<RingBuffer> rings, RingBufferProperties properties) {
        final Duration drainTimeout = properties.getShutdown().getDrainTimeout();
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(RingBufferProperties.PREFIX
                    + ".shutdown.drain-timeout", drainTimeout, "the drain timeout must be zero or positive, e.g. 2s");
        }
        return new RingBufferLifecycle(() -> rings.orderedStream().toList(), drainTimeout);
    }
}
