package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.SubscriberWhiteboxVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.Test;
import reactor.core.CoreSubscriber;

/** The Reactive Streams TCK whitebox subscriber verification of a {@link RingBufferSender}'s subscriber: the probe sees each element as the sender writes (or drops) it. */
@Test
public class SenderWhiteboxTck extends SubscriberWhiteboxVerification<Long> {
    public SenderWhiteboxTck() {
        super(new TestEnvironment(2_000, 100));
    }

    @Override
    public Subscriber<Long> createSubscriber(WhiteboxSubscriberProbe<Long> probe) {
        final SendSubscriber<Long> delegate = SenderTckSupport.subscriber(new SenderTckSupport.Ignoring() {
            @Override
            public void written(Long value) {
                probe.registerOnNext(value);
            }

            @Override
            public void dropped(Long value, DropReason reason) {
                probe.registerOnNext(value);
            }

            @Override
            public void complete() {
                probe.registerOnComplete();
            }

            @Override
            public void error(Throwable error) {
                probe.registerOnError(error);
            }
        });
        return new CoreSubscriber<Long>() {
            @Override
            public void onSubscribe(Subscription s) {
                delegate.onSubscribe(s);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        s.request(elements);
                    }

                    @Override
                    public void signalCancel() {
                        delegate.cancel();
                    }
                });
            }

            @Override
            public void onNext(Long value) {
                delegate.onNext(value);
            }

            @Override
            public void onError(Throwable error) {
                delegate.onError(error);
            }

            @Override
            public void onComplete() {
                delegate.onComplete();
            }
        };
    }

    @Override
    public Long createElement(int element) {
        return (long) element;
    }
}
