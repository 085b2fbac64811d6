package dev.ringbuf.reactor;

import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;

/** The Reactive Streams TCK on {@code RingBufferFlux.decode(ring, decoder)}, run by the TestNG engine. */
@Test
public class DecodePublisherTck extends PublisherVerification<Long> {

    private final TckRings rings = new TckRings();

    public DecodePublisherTck() {
        super(new TestEnvironment(2_000, 100), 2_000);
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return rings.publisher(elements, ring -> RingBufferFlux.decode(ring, Rings::seq));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return rings.failed(ring -> RingBufferFlux.decode(ring, Rings::seq));
    }

    @AfterMethod
    public void stopFeeders() throws InterruptedException {
        rings.stop();
    }
}
