package dev.ringbuf.samples.spring;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.SyntheticProducers;
import dev.ringbuf.samples.feed.OpenStreams;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts and stops the feed in the right order.
 *
 * <p>Start: subscribe the fan-out to the ring, then start the producers. Stop, before the web server's graceful
 * shutdown (this bean's phase is {@link SmartLifecycle#DEFAULT_PHASE}, the web server's are lower, and Spring
 * stops higher phases first): stop the producers, close the ring, let the ring's Flux drain and complete, which
 * completes every open {@code /events} stream once its buffer is delivered; wait until those responses are
 * written ({@link EventStreamTracking}); then the web server has no long-lived request left to wait for.
 */
@Component
public class FeedLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedLifecycle.class);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

    private final RingBuffer ring;
    private final RingFanOut<Event> feed;
    private final SyntheticProducers producers;
    private final OpenStreams streams;
    private volatile boolean running;

    /**
     * The lifecycle of these beans.
     *
     * @param ring the ring
     * @param feed the fan-out
     * @param producers the producers
     * @param streams the {@code /events} responses being written
     */
    public FeedLifecycle(RingBuffer ring, RingFanOut<Event> feed, SyntheticProducers producers,
            OpenStreams streams) {
        this.ring = ring;
        this.feed = feed;
        this.producers = producers;
        this.streams = streams;
    }

    @Override
    public void start() {
        feed.start();
        producers.start();
        running = true;
    }

    @Override
    public void stop() {
        try {
            producers.stop(STEP_TIMEOUT);
            ring.close(); // later reservations fail (counted 'closed'); committed records are still delivered
            feed.terminated().block(STEP_TIMEOUT);
            if (!feed.awaitNoSubscribers(STEP_TIMEOUT)) {
                log.warn("clients still connected after {}: the web server closes them", STEP_TIMEOUT);
            } else if (!streams.awaitNone(STEP_TIMEOUT)) { // their last bytes written, then the server may close
                log.warn("/events responses still being written after {}", STEP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) { // block() timed out
            log.warn("the ring's Flux did not complete within {}", STEP_TIMEOUT, e);
        } finally {
            feed.dispose();
            running = false;
            log.info("feed stopped: {} events written, {} consumed, {} dropped", producers.written(),
                    ring.consumedRecords(), ring.droppedRecords());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
