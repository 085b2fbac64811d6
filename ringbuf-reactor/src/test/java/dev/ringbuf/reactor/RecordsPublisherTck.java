package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK on {@code RingBufferFlux.records(ring)}, run by the JUnit Platform's TestNG engine.
 * Timeouts are generous: the build machine is a loaded 2-core box.
 */
@Test
public class RecordsPublisherTck extends PublisherVerification<Record> {

    private final TckRings rings = new TckRings();

    public RecordsPublisherTck() {
        super(new TestEnvironment(2_000, 100), 2_000);
    }

    @Override
    public Publisher<Record> createPublisher(long elements) {
        return rings.publisher(elements, RingBufferFlux::records);
    }

    @Override
    public Publisher<Record> createFailedPublisher() {
        return rings.failed(RingBufferFlux::records);
    }

    @AfterMethod
    public void stopFeeders() throws InterruptedException {
        rings.stop();
    }
}
