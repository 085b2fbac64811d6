package dev.ringbuf.benchmarks;

import dev.ringbuf.benchmarks.flux.FluxSource;
import dev.ringbuf.benchmarks.harness.Validator;
import reactor.core.CoreSubscriber;
import org.reactivestreams.Subscription;

/** The Flux workloads' subscriber: requests 256 at a time, validates every element's sequence. */
final class BatchSubscriber implements CoreSubscriber<Object> {

    static final int REQUEST = 256;

    private final Validator validator;
    private final FluxSource source;
    private Subscription subscription;
    private int untilRequest;

    BatchSubscriber(Validator validator, FluxSource source) {
        this.validator = validator;
        this.source = source;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        untilRequest = REQUEST;
        s.request(REQUEST);
    }

    @Override
    public void onNext(Object element) {
        validator.acceptAndPublish(source.sequenceOf(element));
        if (--untilRequest == 0) {
            untilRequest = REQUEST;
            subscription.request(REQUEST);
        }
    }

    @Override
    public void onError(Throwable t) {
        validator.fail("onError: " + t);
    }

    @Override
    public void onComplete() {
    }
}
