package dev.ringbuf.reactor;

import dev.ringbuf.core.ControlledGroupRecordHandler;
import dev.ringbuf.core.ControlledRecordHandler.Action;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * {@link RingGroupFlux#records}: the one drain ({@link RingSubscription}) over a group, consuming a batch across its
 * rings (the group's round robin) and emitting each record as a view of its own that names its ring.
 */
final class GroupSubscription extends RingSubscription<GroupRecord> implements ControlledGroupRecordHandler {

    private final RingGroup group;

    GroupSubscription(CoreSubscriber<? super GroupRecord> actual, RingGroup group, Scheduler.Worker worker,
            DrainSettings settings) {
        super(actual, DrainTarget.of(group), worker, settings);
        this.group = group;
    }

    @Override
    int emit(int limit) {
        return group.controlledConsume(this, limit);
    }

    @Override
    public Action onRecord(RingBuffer ring, Record view) {
        final GroupRecord record = new GroupRecord(ring, view.position());
        emitted++;
        try {
            actual.onNext(record);
        } finally {
            record.end();
        }
        return breakAfterOnNext() ? Action.BREAK : Action.CONTINUE;
    }
}
