package dev.ringbuf.reactor;

import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.Test;

/** The Reactive Streams TCK blackbox subscriber verification of the subscriber a {@link RingBufferSender} puts on a source. */
@Test
public class SenderBlackboxTck extends SubscriberBlackboxVerification<Long> {
    public SenderBlackboxTck() {
        super(new TestEnvironment(2_000, 100));
    }

    @Override
    public Subscriber<Long> createSubscriber() {
        return SenderTckSupport.subscriber(new SenderTckSupport.Ignoring());
    }

    @Override
    public Long createElement(int element) {
        return (long) element;
    }
}
