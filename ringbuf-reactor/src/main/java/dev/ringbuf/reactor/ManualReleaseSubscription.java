package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;

/**
 * {@code records()} in manual-release mode: reads without freeing ({@code ring.read}), keeps the emitted records in
 * emission order, and frees space ({@code ring.releaseTo}) up to the oldest record not yet released. At most
 * {@code maxOutstanding} records are emitted and unreleased.
 *
 * <p>The queue of outstanding records is touched only by the drain; {@link ManualRecord#release()} only flips the
 * record's flag and schedules the drain, so release is thread-safe without a lock.
 */
final class ManualReleaseSubscription extends RingSubscription<Record> {

    /** Emitted, not yet reclaimed records, oldest at {@code head}; a circular array of {@code maxOutstanding}. */
    private final ManualRecord[] outstanding;
    private int head;
    private int count;
    /** The consumer position this drain last freed up to. */
    private long releasedTo;

    ManualReleaseSubscription(CoreSubscriber<? super Record> actual, RingBuffer ring, Scheduler.Worker worker,
            DrainSettings settings, int maxOutstanding) {
        super(actual, ring, worker, settings);
        this.outstanding = new ManualRecord[maxOutstanding];
    }

    @Override
    void onStart() {
        releasedTo = ring.consumerPosition();
    }

    @Override
    void beforePass() {
        reclaim();
    }

    @Override
    int limit(int wanted) {
        reclaim();
        return Math.min(wanted, outstanding.length - count);
    }

    @Override
    int emit(int limit) {
        return ring.controlledRead(this, limit);
    }

    @Override
    public Action onRecord(Record view) {
        final ManualRecord record = new ManualRecord(this, ring, view.position());
        int tail = head + count;
        if (tail >= outstanding.length) {
            tail -= outstanding.length;
        }
        outstanding[tail] = record;
        count++;
        emitted++;
        actual.onNext(record);
        return afterOnNext();
    }

    /** A record was released, on any thread: the drain reclaims its space (if it was the oldest). */
    void onRelease() {
        onWakeup(); // same as a wakeup: count the signal, schedule the drain if idle, never throw
    }

    @Override
    void reclaim() {
        if (!isStarted()) {
            return; // never touched the ring (a predecessor may still be reading it)
        }
        final ManualRecord[] queue = outstanding;
        int h = head;
        int c = count;
        while (c != 0 && queue[h].isReleased()) {
            queue[h] = null;
            if (++h == queue.length) {
                h = 0;
            }
            c--;
        }
        head = h;
        count = c;
        // Up to the oldest unreleased record (a record boundary), or everything read, discarded records included.
        final long to = c == 0 ? ring.readPosition() : queue[h].ringPosition;
        if (to != releasedTo) {
            ring.releaseTo(to);
            releasedTo = to;
        }
    }

    @Override
    void releaseAll() {
        final ManualRecord[] queue = outstanding;
        int h = head;
        for (int c = count; c != 0; c--) {
            queue[h].forceRelease();
            queue[h] = null;
            if (++h == queue.length) {
                h = 0;
            }
        }
        head = 0;
        count = 0;
        reclaim();
    }

    @Override
    boolean holdsRecords() {
        return count != 0;
    }
}
