package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK on a {@link RingFanOut} subscriber's stream (the fan-out's own operator: its window, a
 * reader's position and demand), over a ring's {@code decode()} Flux, run by the TestNG engine. The fan-out starts
 * when the stream is subscribed, so that the subscriber sees the ring's records from the first.
 */
@Test
public class FanOutPublisherTck extends PublisherVerification<Long> {

    private final TckRings rings = new TckRings();

    public FanOutPublisherTck() {
        super(new TestEnvironment(2_000, 100), 2_000);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return rings.publisher(elements, FanOutPublisherTck::stream);
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        final RingFanOut<Long> fanOut = RingFanOut.builder(Flux.<Long>error(new IllegalStateException("failed")))
                .build();
        return fanOut.connect("tck-failed", 16).doOnSubscribe(subscription -> fanOut.start());
    }

    @AfterMethod
    public void stopFeeders() throws InterruptedException {
        rings.stop();
    }

    private static Flux<Long> stream(RingBuffer ring) {
        final RingFanOut<Long> fanOut = RingFanOut.builder(RingBufferFlux.decode(ring, Rings::seq)).build();
        final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        return fanOut.connect("tck", 1024).doOnSubscribe(subscription -> {
            if (started.compareAndSet(false, true)) { // later subscribers join the running fan-out
                fanOut.start();
            }
        });
    }
}
