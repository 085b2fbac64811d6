package dev.ringbuf.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * One {@link RingFanOut} subscriber: its own read position over the {@link FanOutWindow}, its demand, and a drain
 * on its own delivery worker that emits from its position towards the window's end. Only this drain moves the
 * position forwards one item at a time (a compare-and-set per item); the writer moves it only to lap a reader that
 * lags past its bound, and the compare-and-set tells the drain that the slot it just read was lapped.
 *
 * @param <T> the item type
 */
final class FanOutReader<T> implements org.reactivestreams.Subscription, Scannable, Runnable {

    private static final VarHandle POSITION;
    private static final VarHandle REQUESTED;
    private static final VarHandle WIP;
    private static final VarHandle GONE;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            POSITION = lookup.findVarHandle(FanOutReader.class, "position", long.class);
            REQUESTED = lookup.findVarHandle(FanOutReader.class, "requested", long.class);
            WIP = lookup.findVarHandle(FanOutReader.class, "wip", int.class);
            GONE = lookup.findVarHandle(FanOutReader.class, "gone", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    final int bufferSize;
    private final CoreSubscriber<? super T> actual;
    private final FanOutWindow<T> window;
    private final Scheduler.Worker worker;
    private final java.util.function.Consumer<FanOutReader<T>> onGone;

    /** The next item this reader emits; the drain's compare-and-set, or the writer's when it laps. */
    private volatile long position;
    private volatile long requested;
    private volatile int wip;
    private volatile boolean cancelled;
    private volatile boolean gone;
    private volatile boolean tethered = true;
    /** Why the stream fails: an overflow under {@code LagPolicy.FAIL} or a bad request; read by the drain. */
    private volatile Throwable failure;
    /** Items lapped (dropped) for this reader; written only by the window's writer. */
    private volatile long dropped;
    /** Items emitted to this reader; written only by its drain. */
    private volatile long delivered;
    // The untether grace; read and written only by the window's replenish owner.
    private boolean stalling;
    private long stalledSince;

    FanOutReader(String name, int bufferSize, CoreSubscriber<? super T> actual, FanOutWindow<T> window,
            Scheduler.Worker worker, java.util.function.Consumer<FanOutReader<T>> onGone) {
        this.name = name;
        this.bufferSize = bufferSize;
        this.actual = actual;
        this.window = window;
        this.worker = worker;
        this.onGone = onGone;
        this.wip = 1; // no drain before onSubscribe returned; start() lets it go
    }

    void startAt(long sequence) {
        position = sequence;
    }

    /** Called once onSubscribe returned: runs the first pass (terminal signals, a request made in onSubscribe). */
    void start() {
        schedule();
    }

    // ---------------------------------------------------------------------------------------------- Subscription

    @Override
    public void request(long n) {
        if (n <= 0) {
            failure = new IllegalArgumentException("§3.9: request must be positive, was " + n);
        } else {
            long current;
            do {
                current = requested;
            } while (current != Long.MAX_VALUE
                    && !REQUESTED.compareAndSet(this, current, current + n < 0 ? Long.MAX_VALUE : current + n));
        }
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
        leave();
    }

    // ---------------------------------------------------------------------------------------------- the writer's side

    /** The writer is about to write {@code sequence}: laps this reader if that would put it past its bound. */
    void makeRoom(long sequence, int capacity) {
        for (;;) {
            final long at = (long) POSITION.getAcquire(this);
            final long bound = tethered ? capacity : bufferSize;
            if (sequence - at < bound) {
                return;
            }
            final long to = sequence + 1 - bound;
            // The CAS pairs with the drain's CAS: the slot at 'at' is overwritten only after the position left it,
            // so a drain whose CAS from 'at' succeeds read the item before the writer could replace it.
            if (POSITION.compareAndSet(this, at, to)) {
                dropped = dropped + (to - at); // one writer
                if (window.lagPolicy() == RingFanOut.LagPolicy.FAIL) {
                    failure = Exceptions.failWithOverflow("fan-out subscriber " + name + " lagged more than "
                            + bound + " items behind without demand (LagPolicy.FAIL)");
                }
                return;
            }
        }
    }

    /** Schedules the drain unless it is running or scheduled; then it goes round once more. */
    void drain() {
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            worker.schedule(this);
        } catch (RejectedExecutionException rejected) {
            if (!cancelled) {
                actual.onError(Operators.onRejectedExecution(rejected, actual.currentContext()));
            }
            leave();
        }
    }

    // ---------------------------------------------------------------------------------------------- the drain

    @Override
    public void run() {
        final CoreSubscriber<? super T> a = actual;
        final FanOutWindow<T> w = window;
        int missed = 1;
        for (;;) {
            long at = position;
            final long wanted = requested;
            long emitted = 0;
            while (emitted != wanted && !cancelled && failure == null) {
                if (at >= w.published()) {
                    break;
                }
                final T item = w.item(at);
                if (!POSITION.compareAndSet(this, at, at + 1)) {
                    at = position; // lapped while reading: the slot may already hold a newer item
                    continue;
                }
                try {
                    a.onNext(item);
                } catch (Throwable thrown) { // a subscriber that breaks §2.13: end its stream, not the others'
                    Exceptions.throwIfJvmFatal(thrown);
                    failure = Operators.onOperatorError(null, thrown, item, a.currentContext());
                }
                at++;
                emitted++;
            }
            if (emitted != 0) {
                delivered = delivered + emitted; // one drain at a time
                if (wanted != Long.MAX_VALUE) {
                    REQUESTED.getAndAdd(this, -emitted);
                }
            }
            if (cancelled) {
                return; // wip stays above zero: nothing schedules this drain again
            }
            final Throwable failed = failure;
            if (failed != null) {
                leave();
                a.onError(failed);
                return;
            }
            // done (volatile) is written after the last item's sequence: once it is seen, published() is final.
            if (w.isDone() && position >= w.published()) {
                leave();
                final Throwable error = w.error();
                if (error != null) {
                    a.onError(error);
                } else {
                    a.onComplete();
                }
                return;
            }
            w.replenish();
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
            if (missed == 0) {
                return;
            }
        }
    }

    /** Leaves the window once (cancel, terminal, failure): it holds nobody from now on. */
    private void leave() {
        if (GONE.compareAndSet(this, false, true)) {
            window.remove(this);
            worker.dispose();
            onGone.accept(this);
            window.replenish();
        }
    }

    // ---------------------------------------------------------------------------------------------- flow control

    long position() {
        return position;
    }

    boolean hasDemand() {
        return requested != 0;
    }

    /** Holds the window again (it has demand, or room). Called by the replenish owner only. */
    void tether() {
        stalling = false;
        tethered = true;
    }

    /**
     * At its bound without demand: {@code true} while the grace lasts (it still holds the window), {@code false}
     * once it is untethered. Called by the replenish owner only.
     */
    boolean stalledFor(long now, long graceNanos, FanOutWindow<T> w) {
        if (graceNanos > 0 && !stalling) {
            stalling = true;
            stalledSince = now;
            w.replenishAfter(graceNanos);
            return true;
        }
        if (graceNanos > 0 && now - stalledSince < graceNanos) {
            return true;
        }
        tethered = false;
        return false;
    }

    long dropped() {
        return dropped;
    }

    long delivered() {
        return delivered;
    }

    // ---------------------------------------------------------------------------------------------- Scannable

    @Override
    @Nullable
    @SuppressWarnings("rawtypes") // Scannable's own signature
    public Object scanUnsafe(Attr key) {
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.PARENT) {
            return window;
        }
        if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
            return requested;
        }
        if (key == Attr.BUFFERED) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, window.published() - position));
        }
        if (key == Attr.CAPACITY) {
            return bufferSize;
        }
        if (key == Attr.CANCELLED) {
            return cancelled;
        }
        if (key == Attr.TERMINATED) {
            return gone && !cancelled;
        }
        if (key == Attr.ERROR) {
            return failure;
        }
        if (key == Attr.NAME) {
            return name;
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
        return "FanOutReader[" + name + ", position=" + position + ", requested=" + requested + ", tethered="
                + tethered + ", delivered=" + delivered + ", dropped=" + dropped + "]";
    }
}
