package dev.ringbuf.reactor;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * {@code records()} in manual-release mode: reads without freeing ({@code ring.read}), keeps the emitted records in
 * emission order, and frees space ({@code ring.releaseTo}) up to the oldest record not yet released. At most
 * {@code maxOutstanding} records are emitted and unreleased.
 *
 * <p>At-least-once: on cancel or error the records still held are revoked (their views become unreadable) and the
 * ring's read position moves back to the oldest of them ({@code ring.rewindRead()}), so the next subscriber reads
 * them again, in order, before newer ones.
 *
 * <p>The queue of outstanding records is touched only by the drain; {@link ManualRecord#release()} only flips the
 * record's flag and schedules the drain, so release is thread-safe without a lock.
 */
final class ManualReleaseSubscription extends RingSubscription<Record> implements ControlledRecordHandler {

    private final RingBuffer ring;

    /** Emitted, not yet reclaimed records, oldest at {@code head}; a circular array of {@code maxOutstanding}. */
    private final ManualRecord[] outstanding;
    private int head;
    private int count;
    /** The consumer position this drain last freed up to. */
    private long releasedTo;
    /**
     * Where this subscription's own last read ended: the ring's read position may still be a dead predecessor's
     * (a ring file rewinds it at our first read), and releasing up to that would free records nobody delivered.
     */
    private long readTo;
    /** {@code System.nanoTime()} of the batch being emitted. */
    private long batchTime;
    /** The oldest record this drain warned about: one warning per episode (until that record is released). */
    private ManualRecord warnedAbout;

    ManualReleaseSubscription(CoreSubscriber<? super Record> actual, RingBuffer ring, Scheduler.Worker worker,
            DrainSettings settings, int maxOutstanding) {
        super(actual, DrainTarget.of(ring), worker, settings);
        this.ring = ring;
        this.outstanding = new ManualRecord[maxOutstanding];
    }

    @Override
    void onStart() {
        releasedTo = ring.consumerPosition();
        readTo = releasedTo;
    }

    @Override
    void beforePass() {
        reclaim();
        checkStall();
    }

    /** Warns once per oldest record that has been held longer than the stall threshold. */
    private void checkStall() {
        final long threshold = settings.stallWarningNanos;
        if (threshold <= 0 || count == 0) {
            return;
        }
        final ManualRecord oldest = outstanding[head];
        final long held = System.nanoTime() - oldest.emittedAt;
        if (held > threshold && oldest != warnedAbout) {
            warnedAbout = oldest;
            // Looked up per warning (rare): the logger factory in place now (a test's capture) is the one used.
            final Logger log = Loggers.getLogger(ManualReleaseSubscription.class);
            log.warn("ring '{}': the oldest of {} unreleased records (position {}) was emitted {} ago and the ring "
                    + "cannot reclaim space past it. Release every record, including those an operator drops: "
                    + ".doOnDiscard(Record.class, Record::release)", ring.name(), count, oldest.ringPosition,
                    Duration.ofNanos(held));
        }
    }

    @Override
    int limit(int wanted) {
        reclaim();
        return Math.min(wanted, outstanding.length - count);
    }

    @Override
    int emit(int limit) {
        batchTime = settings.stallWarningNanos > 0 ? System.nanoTime() : 0L; // one clock read per batch
        final int read = ring.controlledRead(this, limit);
        readTo = ring.readPosition(); // the single consumer's own position, just published by that read
        return read;
    }

    @Override
    public Action onRecord(Record view) {
        final ManualRecord record = new ManualRecord(this, ring, view.position(), batchTime);
        int tail = head + count;
        if (tail >= outstanding.length) {
            tail -= outstanding.length;
        }
        outstanding[tail] = record;
        count++;
        emitted++;
        actual.onNext(record);
        return breakAfterOnNext() ? Action.BREAK : Action.CONTINUE;
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
        final long to = c == 0 ? readTo : queue[h].ringPosition;
        if (to != releasedTo) {
            ring.releaseTo(to);
            releasedTo = to;
        }
    }

    /** Cancel or error: frees what was released, revokes the rest and rewinds so that it is delivered again. */
    @Override
    void releaseAll() {
        if (!isStarted()) {
            return; // never touched the ring
        }
        reclaim();
        final ManualRecord[] queue = outstanding;
        int h = head;
        for (int c = count; c != 0; c--) {
            queue[h].revoke();
            queue[h] = null;
            if (++h == queue.length) {
                h = 0;
            }
        }
        head = 0;
        count = 0;
        // The consumer position is the oldest unreleased record: read from there again. Views were revoked first.
        ring.rewindRead();
        releasedTo = ring.consumerPosition();
        readTo = releasedTo;
    }

    @Override
    int outstanding() {
        return count; // racy read of a drain-owned int: a snapshot for gauges
    }

    @Override
    int maxOutstanding() {
        return outstanding.length;
    }

    @Override
    boolean holdsRecords() {
        return count != 0;
    }
}
