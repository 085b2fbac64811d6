package dev.ringbuf.reactor;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.util.function.Function;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * {@code decode(decoder)}: consumes a batch, running the decoder on the ring's own flyweight view (no allocation
 * but the decoded value) and emitting its result.
 */
final class DecodeSubscription<T> extends RingSubscription<T> implements ControlledRecordHandler {

    private final RingBuffer ring;

    private final Function<? super Record, ? extends T> decoder;

    DecodeSubscription(CoreSubscriber<? super T> actual, RingBuffer ring, Scheduler.Worker worker,
            DrainSettings settings, Function<? super Record, ? extends T> decoder) {
        super(actual, DrainTarget.of(ring), worker, settings);
        this.ring = ring;
        this.decoder = decoder;
    }

    @Override
    int emit(int limit) {
        return ring.controlledConsume(this, limit);
    }

    @Override
    public Action onRecord(Record view) {
        final T value = decoder.apply(view);
        if (value == null) {
            throw new NullPointerException("decoder " + decoder + " returned null for the record at position "
                    + view.position() + " of ring '" + ring.name() + "': a Flux cannot emit null");
        }
        emitted++;
        actual.onNext(value);
        return breakAfterOnNext() ? Action.BREAK : Action.CONTINUE;
    }
}
