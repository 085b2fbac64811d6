package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code ringbuf} actuator endpoint ({@link RingBufferEndpoint}), when the actuator is on the classpath and the
 * endpoint is exposed ({@code management.endpoints.web.exposure.include=...,ringbuf}).
 */
@AutoConfiguration(after = RingBufferAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = RingBufferProperties.ENABLED, matchIfMissing = true)
@ConditionalOnClass({ RingBuffer.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(RingBufferEndpoint.class)
public class RingBufferEndpointAutoConfiguration {

    /** Creates the auto-configuration (Spring Boot does). */
    public RingBufferEndpointAutoConfiguration() {
    }

    /**
     * The endpoint.
     *
     * @param beans the context, asked for its {@code RingBuffer} beans at each request
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    public RingBufferEndpoint ringBufferEndpoint(ListableBeanFactory beans) {
        return new RingBufferEndpoint(() -> beans.getBeansOfType(RingBuffer.class));
    }
}
