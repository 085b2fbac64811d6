package dev.ringbuf.samples.spring;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import dev.ringbuf.reactor.RingBufferMetrics;
import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.EventCodec;
import dev.ringbuf.samples.event.SyntheticProducers;
import dev.ringbuf.samples.feed.FeedServer;
import dev.ringbuf.samples.feed.OpenStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * The ring and everything around it, as beans.
 *
 * <ul>
 *   <li>{@link RingBuffer}: one per application, closed when the context closes (idempotent, so closing it
 *       earlier in {@link FeedLifecycle} is fine);
 *   <li>{@link RingBufferMetrics}: a {@code MeterBinder} bean, which Spring Boot binds to every meter registry
 *       (Prometheus here) by itself;
 *   <li>{@link RingFanOut}: the single subscription to the ring's Flux, shared by every HTTP client;
 *   <li>{@link SyntheticProducers}: stand-ins for the application's real emitters.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class RingConfiguration {

    /**
     * The ring.
     *
     * @param properties the feed's settings
     * @return the ring, named {@code events} (its {@code ring} tag)
     */
    @Bean(destroyMethod = "close")
    public RingBuffer eventRing(FeedProperties properties) {
        return RingBuffer.builder().name("events").capacity(properties.capacity().toBytes()).build();
    }

    /**
     * The ring's meters: {@code ringbuf.records.dropped{reason}}, {@code ringbuf.records.consumed}, fill level...
     *
     * @param ring the ring
     * @return the binder
     */
    @Bean
    public RingBufferMetrics ringBufferMetrics(RingBuffer ring) {
        return new RingBufferMetrics(ring);
    }

    /**
     * The fan-out: one subscription to the ring (started by {@link FeedLifecycle}), a bounded buffer per client.
     *
     * @param ring the ring
     * @param registry Spring Boot's meter registry
     * @return the fan-out, not started
     */
    @Bean
    public RingFanOut<Event> eventFeed(RingBuffer ring, MeterRegistry registry) {
        // decode() copies each record into an Event on the ring's drain thread: nothing downstream touches the ring.
        return RingFanOut.builder(RingBufferFlux.builder(ring).metrics(registry).decode(EventCodec::decode))
                .deliveryScheduler(Schedulers.parallel())
                .metrics(registry)
                .meterNames(FeedServer.FEED_CLIENTS, FeedServer.FEED_SENT, FeedServer.FEED_DROPPED, "client")
                .build();
    }

    /**
     * The {@code /events} responses being written, for an orderly shutdown ({@link EventStreamTracking}).
     *
     * @return the counter
     */
    @Bean
    public OpenStreams openStreams() {
        return new OpenStreams();
    }

    /**
     * The producers (not started: {@link FeedLifecycle} starts them once the feed is subscribed).
     *
     * @param ring the ring
     * @param properties the feed's settings
     * @return the producers
     */
    @Bean
    public SyntheticProducers producers(RingBuffer ring, FeedProperties properties) {
        return new SyntheticProducers(ring, properties.producers(), properties.rate(), properties.batch());
    }
}
