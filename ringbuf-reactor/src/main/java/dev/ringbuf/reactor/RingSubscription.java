package dev.ringbuf.reactor;

import dev.ringbuf.core.WakeupListener;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * One subscriber's drain, the only one for rings and groups alike: the work-in-progress loop (as in Reactor's
 * {@code SinkManyUnicast} and {@code FluxPublishOn}) that consumes its {@link DrainTarget} (a ring, or a group of
 * rings) on a scheduler worker against the subscriber's demand.
 *
 * <p>Every signal that may give the drain work (request, a producer's wakeup, the poll timer, close, a manual
 * release, cancel) calls {@link #drain()}: it increments {@code wip} and, only if it was zero, schedules
 * {@link #run()} on the worker. {@code run} loops until it has seen every increment, so a signal that arrives while
 * it runs makes it go round once more instead of being lost. Once the subscription is detached, {@code wip} is never
 * decremented again, so late signals (a producer that read the old listener, a timer tick) cost one increment.
 *
 * <p>The hand-over between consecutive subscribers is {@link HandOver}'s job, the poll timer {@link PollTimer}'s.
 * Subclasses say how a batch is read and emitted ({@link #emit(int)}) and receive each record as the ring's (or
 * the group's) controlled handler: the per-record path allocates nothing beyond the emitted object.
 *
 * @param <T> what is emitted
 */
abstract class RingSubscription<T> extends HandOver implements Subscription, Scannable, Runnable, WakeupListener {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RingSubscription> WIP =
            AtomicIntegerFieldUpdater.newUpdater(RingSubscription.class, "wip");
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<RingSubscription> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(RingSubscription.class, "requested");
    final CoreSubscriber<? super T> actual;
    final DrainTarget target;
    final Scheduler.Worker worker;
    final DrainSettings settings;
    private final Runnable poll = this::drain;

    /**
     * Starts at 1: no drain may run before {@code onSubscribe} returns (a predecessor's hand-over, or a request made
     * inside {@code onSubscribe}, only counts); {@link #start()} then schedules the first run. Volatile
     * read-modify-writes (getAndIncrement / addAndGet): each signal writes its state (demand, cancel flag, a record's
     * release flag, a commit) before its increment, and the drain reads that state after seeing the increment, so a
     * signal that lands while a pass is finishing is never lost. A weaker increment could be ordered before the state
     * it announces.
     */
    private volatile int wip = 1;
    /** Demand, raised on any thread (addCap CAS) and lowered by the drain (produced); volatile for the same reason. */
    private volatile long requested;
    /** Written by any thread; read by the drain after every onNext, so a cancel ends the batch at a record boundary. */
    private volatile boolean cancelled;
    /** A terminal signal was (is being) sent. Drain owner writes; volatile: subscribers and Scannable read it. */
    private volatile boolean done;
    /** The error this subscription ended with, if any (Scannable's ERROR). Written by the drain owner. */
    private volatile Throwable error;
    // ---- drain-owner state (the running drain, or the thread whose schedule was rejected)
    /** Records emitted in the current batch. */
    long emitted;
    private final DrainPlugs plugs = new DrainPlugs(this);

    RingSubscription(CoreSubscriber<? super T> actual, DrainTarget target, Scheduler.Worker worker,
            DrainSettings settings) {
        this.actual = actual;
        this.target = target;
        this.worker = worker;
        this.settings = settings;
    }

    // ------------------------------------------------------------------------------------------------- signals

    @Override
    public final void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    @Override
    public final void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        drain();
    }

    /**
     * A producer's wakeup (or {@code close()}): runs on the producer's thread, so it only counts the signal and, if
     * the drain was idle, schedules it. Never throws into the producer.
     */
    @Override
    public final void onWakeup() {
        try {
            drain();
        } catch (Throwable error) {
            Exceptions.throwIfJvmFatal(error);
            Operators.onErrorDropped(error, actual.currentContext());
        }
    }

    /** Schedules the drain unless it is running or scheduled; then it will go round once more. */
    @Override
    final void drain() {
        // getAndIncrement is the whole synchronisation: the one that moves wip from 0 owns the right to schedule.
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        schedule();
    }

    /** Called once, after {@code onSubscribe} returned: schedules the first run (wip is already 1). */
    final void start() {
        schedule();
    }

    private void schedule() {
        try {
            worker.schedule(this);
        } catch (RejectedExecutionException rejected) {
            onRejected(rejected);
        }
    }

    // ----------------------------------------------------------------------------------------------- the drain

    @Override
    public final void run() {
        drainLoop();
    }

    private void drainLoop() {
        int missed = 1;
        for (;;) {
            if (isDetached()) {
                return; // wip stays above zero for good: late signals never schedule again
            }
            try {
                if (cancelled || done) {
                    if (settle()) {
                        return;
                    }
                } else if (isStarted() || tryStart()) {
                    beforePass();
                    emitPass();
                    if (!cancelled && !done && target.isClosedAndDrained()) {
                        complete();
                        continue; // settle: detach, or wait for manual releases
                    }
                } else if (predecessorOverstayed()) {
                    fail(Attachments.concurrentSubscriber(target, settings.handOverNanos));
                    continue;
                }
                // else: the predecessor still holds the ring; its detach (or the hand-over timer) drains us again
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                fail(error);
                continue;
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Plugs into the ring once the predecessor let go of it. */
    private boolean tryStart() {
        if (!tryTakeRing()) {
            return false;
        }
        // Listener first, then the first consume: a commit that this consume misses happens after its fenced
        // re-check of the read position, so that commit's producer sees the listener (a volatile field) and wakes us.
        plugs.listen();
        onStart();
        plugs.startTimerAndMeters(poll);
        return true;
    }

    /**
     * Emits against the demand read at the start, batch by batch, until the demand, the ring or the outstanding
     * bound is exhausted, or the subscriber cancels (a handler ends its batch with {@link Action#BREAK} then).
     */
    private void emitPass() {
        final long demand = requested;
        long total = 0;
        try {
            while (total != demand && !cancelled) {
                final int limit = limit((int) Math.min(demand - total, settings.batchSize));
                if (limit == 0) {
                    break;
                }
                emitted = 0;
                final int delivered;
                try {
                    delivered = emit(limit);
                } finally {
                    total += emitted;
                }
                if (delivered < limit) {
                    // The ring had no more committed records: the consume published its read position and fenced,
                    // so the next DEFAULT commit wakes us (see RingBuffer.publish).
                    break;
                }
            }
        } finally {
            if (total != 0) {
                Operators.produced(REQUESTED, this, total);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ subclass hooks

    /**
     * Reads and emits at most {@code limit} records, counting each {@code onNext} in {@link #emitted}.
     *
     * @return the records the ring delivered (fewer than {@code limit} when it had no more)
     */
    abstract int emit(int limit);

    /** The batch limit allowed now (manual release caps it by free outstanding slots); 0 to stop. */
    int limit(int wanted) {
        return wanted;
    }

    /** Called on the drain thread when the subscription starts consuming. */
    void onStart() {
    }

    /** Called on the drain thread at the start of every pass while active. */
    void beforePass() {
    }

    /** Called by the drain owner after cancel or error: take back every record still held (manual release). */
    void releaseAll() {
    }

    /** Whether emitted records are still held by the subscriber (manual release): detach waits for them. */
    boolean holdsRecords() {
        return false;
    }

    /** Called by the drain owner after the terminal signal while records are held: reclaim released space. */
    void reclaim() {
    }

    /** After {@code onNext}: end the batch right after this record if the subscriber cancelled meanwhile. */
    final boolean breakAfterOnNext() {
        return cancelled;
    }

    // ------------------------------------------------------------------------------------------------ endings

    private void complete() {
        done = true;
        quiesce();
        actual.onComplete();
    }

    /**
     * Winds down after cancel or a terminal signal: unplug, give back what cancel frees, and detach once no record is
     * held.
     *
     * @return true once detached
     */
    private boolean settle() {
        if (!plugs.isUnplugged()) {
            if (!done) {
                releaseAll(); // cancelled: records still held are taken back, delivered again to the next one
            }
            quiesce();
        }
        reclaim();
        return !holdsRecords() && tryDetach();
    }

    private void fail(Throwable error) {
        this.error = error;
        final boolean signal = !done && !cancelled;
        done = true;
        try {
            releaseAll();
        } catch (Throwable suppressed) {
            Exceptions.throwIfJvmFatal(suppressed);
            error.addSuppressed(suppressed);
        }
        quiesce();
        if (!signal) {
            Operators.onErrorDropped(error, actual.currentContext());
            return;
        }
        try {
            actual.onError(Operators.onOperatorError(error, actual.currentContext()));
        } catch (Throwable thrown) {
            // A subscriber whose onError throws must not keep the ring from being handed to the next one.
            Exceptions.throwIfJvmFatal(thrown);
            Operators.onErrorDropped(thrown, actual.currentContext());
        }
    }

    /**
     * The worker refused the drain: nothing will run it, so this thread (which moved wip from zero, or is the
     * drain itself) owns it and ends the subscription.
     */
    private void onRejected(RejectedExecutionException rejected) {
        if (isDetached()) {
            return;
        }
        if (!done && !cancelled) {
            fail(Operators.onRejectedExecution(rejected, this, null, null, actual.currentContext()));
        }
        settle();
    }

    private void quiesce() {
        plugs.unplug();
    }

    @Override
    final void onDetached() {
        Attachments.detach(target, this);
        worker.dispose();
    }

    // ----------------------------------------------------------------------------------------------- queries

    /** Cancelled or terminated: a new subscriber may take over. */
    @Override
    final boolean isEnding() {
        return cancelled || done;
    }

    /** Records emitted and not yet released (manual release); a racy snapshot for gauges and Scannable. */
    int outstanding() {
        return 0;
    }

    /** The bound on {@link #outstanding()}; 0 when records are released as {@code onNext} returns. */
    int maxOutstanding() {
        return 0;
    }

    /** The outstanding demand, for the {@code ringbuf.subscriber.demand} gauge. */
    final double demand() {
        return requested;
    }

    @Override
    @SuppressWarnings("rawtypes") // Scannable's own signature
    public Object scanUnsafe(Attr key) {
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
            return requested;
        }
        if (key == Attr.PREFETCH) {
            return settings.batchSize; // records per consume call, as a publishOn's prefetch
        }
        if (key == Attr.BUFFERED) {
            return outstanding(); // in records: emitted and not yet released (manual release), else none
        }
        if (key == Attr.CAPACITY) {
            return maxOutstanding();
        }
        if (key == Attr.CANCELLED) {
            return cancelled;
        }
        if (key == Attr.TERMINATED) {
            return done;
        }
        if (key == Attr.NAME) {
            return target.name();
        }
        if (key == Attr.ERROR) {
            return error;
        }
        if (key == Attr.RUN_ON) {
            return worker;
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.ASYNC;
        }
        return null;
    }

    @Override
    public String toString() {
        return "RingSubscription[" + target.name() + ", requested=" + requested
                + (cancelled ? ", cancelled" : "") + (done ? ", terminated" : "") + "]";
    }
}
