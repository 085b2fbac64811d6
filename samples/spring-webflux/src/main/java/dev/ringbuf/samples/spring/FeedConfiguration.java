package dev.ringbuf.samples.spring;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.EventCodec;
import dev.ringbuf.samples.event.SyntheticProducers;
import dev.ringbuf.samples.feed.FeedServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * What is specific to the feed. The ring itself ({@code ringbuf.rings.events.*} in application.properties), its
 * meters, its health and its close at shutdown come from {@code ringbuf-spring-boot-starter}.
 *
 * <ul>
 *   <li>{@link RingFanOut}: the single subscription to the ring's Flux, shared by every HTTP client;
 *   <li>{@link SyntheticProducers}: stand-ins for the application's real emitters.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class FeedConfiguration {

    /**
     * The fan-out: one subscription to the ring, a bounded buffer per client. Built, not started: the starter starts
     * every {@code RingFanOut} bean before the producers, and stops it once the ring is drained at shutdown.
     *
     * @param ring the ring named {@code events}
     * @param registry Spring Boot's meter registry
     * @param properties the feed's settings (each client's buffer is a window into the fan-out's)
     * @return the fan-out, not started
     */
    @Bean(destroyMethod = "dispose")
    public RingFanOut<Event> eventFeed(@Qualifier("events") RingBuffer ring, MeterRegistry registry,
            FeedProperties properties) {
        // decode() copies each record into an Event on the ring's drain thread: nothing downstream touches the ring.
        return RingFanOut.builder(RingBufferFlux.builder(ring).metrics(registry).decode(EventCodec::decode))
                .deliveryScheduler(Schedulers.parallel()).metrics(registry)
                .maxBufferSize(properties.clientBuffer())
                .meterNames(FeedServer.FEED_CLIENTS, FeedServer.FEED_SENT, FeedServer.FEED_DROPPED, "client")
                .build();
    }

    /**
     * The producers (not started: {@link FeedLifecycle} starts them once the feed is subscribed).
     *
     * @param ring the ring named {@code events}
     * @param properties the feed's settings
     * @return the producers
     */
    @Bean
    public SyntheticProducers producers(@Qualifier("events") RingBuffer ring, FeedProperties properties) {
        return new SyntheticProducers(ring, properties.producers(), properties.rate(), properties.batch());
    }
}
