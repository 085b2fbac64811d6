package dev.ringbuf.reactor;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/** {@code records()}: consumes a batch, emitting each record as a new view invalidated when onNext returns. */
final class RecordsSubscription extends RingSubscription<Record> implements ControlledRecordHandler {

    private final RingBuffer ring;

    RecordsSubscription(CoreSubscriber<? super Record> actual, RingBuffer ring, Scheduler.Worker worker,
            DrainSettings settings) {
        super(actual, DrainTarget.of(ring), worker, settings);
        this.ring = ring;
    }

    @Override
    int emit(int limit) {
        return ring.controlledConsume(this, limit);
    }

    @Override
    public Action onRecord(Record view) {
        // The one allocation per record: a view of its own, so that a use after release is always detected.
        final EmittedRecord record = new EmittedRecord(ring, view.position());
        emitted++;
        try {
            actual.onNext(record);
        } finally {
            record.end();
        }
        return breakAfterOnNext() ? Action.BREAK : Action.CONTINUE;
    }
}
