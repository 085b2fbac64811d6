package dev.ringbuf.reactor;

import dev.ringbuf.core.ControlledGroupRecordHandler;
import dev.ringbuf.core.ControlledRecordHandler.Action;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
import dev.ringbuf.core.WakeupListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * One subscriber's drain over a {@link RingGroup}: the work-in-progress loop of {@link RingSubscription} (every
 * signal increments {@code wip}; the one that moves it from zero schedules {@link #run()}, which loops until it has
 * seen every increment), consuming the group with one demand for all its rings.
 *
 * <p>One subscriber per group at a time. A new subscriber may replace one that was cancelled or terminated; it does
 * not touch the group until the old one has let go: it links itself as the old one's successor, then reads the old
 * one's {@code detached}; the old one writes {@code detached}, then reads its successor and drains it (both volatile:
 * one of them sees the other).
 */
final class GroupSubscription implements Subscription, Runnable, WakeupListener, ControlledGroupRecordHandler {

    private static final ConcurrentHashMap<RingGroup, GroupSubscription> ATTACHED = new ConcurrentHashMap<>();
    private static final AtomicIntegerFieldUpdater<GroupSubscription> WIP =
            AtomicIntegerFieldUpdater.newUpdater(GroupSubscription.class, "wip");
    private static final AtomicLongFieldUpdater<GroupSubscription> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(GroupSubscription.class, "requested");

    private final CoreSubscriber<? super GroupRecord> actual;
    private final RingGroup group;
    private final Scheduler.Worker worker;
    private final long pollNanos;

    /** Starts at 1: nothing runs before {@link #start()}. Volatile RMWs, as in RingSubscription. */
    private volatile int wip = 1;
    private volatile long requested;
    private volatile boolean cancelled;
    /** Let go of the group for good (written once, by the drain owner). */
    private volatile boolean detached;
    private volatile GroupSubscription successor;
    /** Written before onSubscribe, read by the drain (ordered by the worker's schedule). */
    private GroupSubscription predecessor;

    // ---- drain-owner state
    private boolean started;
    private boolean done;
    private long emitted;
    private Disposable timer;

    GroupSubscription(CoreSubscriber<? super GroupRecord> actual, RingGroup group, Scheduler.Worker worker,
            long pollNanos) {
        this.actual = actual;
        this.group = group;
        this.worker = worker;
        this.pollNanos = pollNanos;
    }

    /** Attaches unless a live subscriber reads the group. @return null when attached, else the subscriber's error */
    static IllegalStateException attach(RingGroup group, GroupSubscription subscription) {
        final GroupSubscription[] previous = new GroupSubscription[1];
        final GroupSubscription winner = ATTACHED.compute(group, (key, current) -> {
            if (current == null || current.cancelled || current.detached) {
                previous[0] = current;
                return subscription;
            }
            return current;
        });
        if (winner != subscription) {
            return new IllegalStateException(group + " already has a subscriber: a ring group is read by one "
                    + "subscriber at a time; fan out with publish(), share() or replay() on one Flux");
        }
        if (previous[0] != null) {
            subscription.predecessor = previous[0];
            previous[0].successor = subscription;
        }
        return null;
    }

    void start() {
        schedule();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            drain();
        }
    }

    /** A ring's wakeup, on a producer's (or a doorbell watcher's) thread: never throws into it. */
    @Override
    public void onWakeup() {
        try {
            drain();
        } catch (Throwable error) {
            Exceptions.throwIfJvmFatal(error);
            Operators.onErrorDropped(error, actual.currentContext());
        }
    }

    private void drain() {
        if (WIP.getAndIncrement(this) == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            worker.schedule(this);
        } catch (RejectedExecutionException rejected) {
            if (!detached) {
                finish(Operators.onRejectedExecution(rejected, actual.currentContext()));
            }
        }
    }

    @Override
    public void run() {
        int missed = 1;
        for (;;) {
            if (detached) {
                return; // wip stays above zero: late signals never schedule again
            }
            try {
                if (cancelled) {
                    finish(null);
                    return;
                }
                if (started || tryStart()) {
                    emitPass();
                    if (!cancelled && group.isClosedAndDrained()) {
                        done = true;
                        finish(null);
                        actual.onComplete();
                        return;
                    }
                }
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                if (!detached) {
                    finish(error);
                }
                return;
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Takes the group once the predecessor let go of it. */
    private boolean tryStart() {
        final GroupSubscription previous = predecessor;
        if (previous != null && !previous.detached) {
            return false; // its detach drains us
        }
        predecessor = null;
        started = true;
        // Listener first, then the first consume: a commit that this consume misses happens after its fenced look
        // at the record, so that commit's producer reaches the listener (see RingGroup.awaitData).
        group.setWakeupListener(this);
        if (pollNanos > 0) {
            timer = worker.schedulePeriodically(this::drain, pollNanos, pollNanos, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private void emitPass() {
        final long demand = requested;
        long total = 0;
        try {
            while (total != demand && !cancelled) {
                final int limit = (int) Math.min(demand - total, RingBufferFluxBuilder.DEFAULT_BATCH_SIZE);
                emitted = 0;
                final int delivered;
                try {
                    delivered = group.controlledConsume(this, limit);
                } finally {
                    total += emitted;
                }
                if (delivered < limit) {
                    break;
                }
            }
        } finally {
            if (total != 0) {
                Operators.produced(REQUESTED, this, total);
            }
        }
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
        return cancelled ? Action.BREAK : Action.CONTINUE;
    }

    /** Lets go of the group (listener, timer, worker, slot); signals {@code error} unless cancelled or done. */
    private void finish(Throwable error) {
        if (started) {
            final WakeupListener previous = group.setWakeupListener(null);
            if (previous != this) {
                group.setWakeupListener(previous); // not ours: leave it
            }
        }
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
        detached = true;
        ATTACHED.remove(group, this);
        worker.dispose();
        final GroupSubscription next = successor;
        if (next != null) {
            successor = null;
            next.drain();
        }
        if (error != null && !cancelled && !done) {
            done = true;
            actual.onError(Operators.onOperatorError(error, actual.currentContext()));
        }
    }
}
