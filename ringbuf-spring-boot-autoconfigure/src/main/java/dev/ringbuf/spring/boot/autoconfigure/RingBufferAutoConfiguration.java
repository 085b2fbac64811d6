package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingFanOut;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The rings of {@code ringbuf.rings.<name>.*} as {@link RingBuffer} beans ({@link RingBufferRegistrar}), their
 * ordered start and shutdown with their fan-outs ({@link RingBufferLifecycle}, {@link RingFanOutLifecycle}, in the
 * phases of {@link RingBufferPhases}), and a check that no two rings share a name. {@code ringbuf.enabled=false}
 * turns it off.
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
@ConditionalOnBooleanProperty(name = RingBufferProperties.ENABLED, matchIfMissing = true)
@ConditionalOnClass(RingBuffer.class)
@EnableConfigurationProperties(RingBufferProperties.class)
@Import(RingBufferRegistrar.class)
@ImportRuntimeHints(RingBufferRuntimeHints.class)
public class RingBufferAutoConfiguration {

    /** Creates the auto-configuration (Spring Boot does). */
    public RingBufferAutoConfiguration() {
    }

    /**
     * Fails startup when two {@code RingBuffer} beans share one ring name (and so one meter series).
     *
     * @param beans the context, asked for its {@code RingBuffer} beans once every singleton is made
     * @return the check
     */
    @Bean
    static SmartInitializingSingleton ringBufferNameCheck(ListableBeanFactory beans) {
        return new RingNameCheck(() -> beans.getBeansOfType(RingBuffer.class));
    }

    /**
     * Closes every ring at shutdown, before the web server stops, and waits for their consumers to drain them;
     * first it waits for the running tasks of the application's task schedulers ({@code @Scheduled} producers).
     *
     * @param rings every {@code RingBuffer} bean
     * @param properties {@code ringbuf.shutdown.drain-timeout}
     * @param schedulers every {@code ThreadPoolTaskScheduler} bean (Spring Boot's {@code taskScheduler})
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public RingBufferLifecycle ringBufferLifecycle(ObjectProvider<RingBuffer> rings, RingBufferProperties properties,
            ObjectProvider<ThreadPoolTaskScheduler> schedulers) {
        final Duration drainTimeout = properties.getShutdown().getDrainTimeout();
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(RingBufferProperties.PREFIX
                    + ".shutdown.drain-timeout", drainTimeout, "the drain timeout must be zero or positive, e.g. 2s");
        }
        return new RingBufferLifecycle(() -> rings.orderedStream().toList(), drainTimeout,
                new ScheduledProducers(() -> schedulers.orderedStream().toList(), drainTimeout));
    }

    /** The fan-outs' lifecycle, when {@code ringbuf-reactor} is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RingFanOut.class)
    static class FanOuts {

        /**
         * Starts every {@code RingFanOut} bean before the producers and stops it after the rings are drained.
         *
         * @param fanOuts every {@code RingFanOut} bean
         * @param properties {@code ringbuf.shutdown.drain-timeout}, the bound on waiting for a fan-out to complete
         * @return the lifecycle
         */
        @Bean
        @ConditionalOnMissingBean
        RingFanOutLifecycle ringFanOutLifecycle(ObjectProvider<RingFanOut<?>> fanOuts,
                RingBufferProperties properties) {
            return new RingFanOutLifecycle(() -> fanOuts.orderedStream().toList(),
                    properties.getShutdown().getDrainTimeout());
        }
    }
}
