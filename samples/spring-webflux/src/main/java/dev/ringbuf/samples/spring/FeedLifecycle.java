package dev.ringbuf.samples.spring;

import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.SyntheticProducers;
import dev.ringbuf.spring.boot.autoconfigure.RingBufferLifecycle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the fan-out, then the producers; at shutdown, stops the producers first.
 *
 * <p>Its phase is {@link SmartLifecycle#DEFAULT_PHASE}, above {@link RingBufferLifecycle#PHASE}, and Spring stops
 * higher phases first. So at shutdown: this bean stops the producers; the starter closes the ring and waits until
 * the ring's Flux has drained it, which completes the fan-out and every open {@code /events} stream; then the web
 * server's graceful shutdown waits for those responses to be written and stops.
 */
@Component
public class FeedLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedLifecycle.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final RingFanOut<Event> feed;
    private final SyntheticProducers producers;
    private volatile boolean running;

    /**
     * The lifecycle of the feed's beans.
     *
     * @param feed the fan-out
     * @param producers the producers
     */
    public FeedLifecycle(RingFanOut<Event> feed, SyntheticProducers producers) {
        this.feed = feed;
        this.producers = producers;
    }

    @Override
    public void start() {
        feed.start(); // the ring's one subscriber, before anything is written into it
        producers.start();
        running = true;
    }

    @Override
    public void stop() {
        try {
            if (!producers.stop(STOP_TIMEOUT)) {
                log.warn("producers still running after {}", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
            log.info("producers stopped: {} events written", producers.written());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
