package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Every ring's meters ({@link RingBufferMetrics}), bound by Spring Boot to its meter registries, when Micrometer
 * and {@code ringbuf-reactor} are on the classpath.
 */
@AutoConfiguration(after = RingBufferAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = RingBufferProperties.ENABLED, matchIfMissing = true)
@ConditionalOnClass({ RingBuffer.class, MeterRegistry.class, RingBufferMetrics.class })
public class RingBufferMetricsAutoConfiguration {

    /** Creates the auto-configuration (Spring Boot does). */
    public RingBufferMetricsAutoConfiguration() {
    }

    /**
     * The binder: Spring Boot's metrics auto-configuration binds every {@code MeterBinder} bean to its registries.
     *
     * @param rings every {@code RingBuffer} bean
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public RingBufferMeterBinder ringBufferMeterBinder(ObjectProvider<RingBuffer> rings) {
        return new RingBufferMeterBinder(() -> rings.orderedStream().toList());
    }
}
