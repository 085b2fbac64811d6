package dev.ringbuf.samples.spring;

import dev.ringbuf.samples.event.SyntheticProducers;
import dev.ringbuf.spring.boot.autoconfigure.RingBufferPhases;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the producers; at shutdown, stops them first.
 *
 * <p>Its phase is {@link SmartLifecycle#DEFAULT_PHASE} ({@link RingBufferPhases#PRODUCERS}), and Spring starts lower
 * phases first and stops higher phases first. So at startup the starter has already started the fan-out
 * ({@link RingBufferPhases#CONSUMERS}) when this bean starts the producers; at shutdown this bean stops the
 * producers; the starter closes the ring and waits until the ring's Flux has drained it, which completes the
 * fan-out and every open {@code /events} stream, then stops the fan-out; then the web server's graceful shutdown
 * waits for those responses to be written and stops.
 */
@Component
public class FeedLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedLifecycle.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final SyntheticProducers producers;
    private volatile boolean running;

    /**
     * The lifecycle of the feed's producers.
     *
     * @param producers the producers
     */
    public FeedLifecycle(SyntheticProducers producers) {
        this.producers = producers;
    }

    @Override
    public void start() {
        producers.start(); // the starter started the fan-out, the ring's one subscriber, before this phase
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
