package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * The subscriber a {@link RingBufferSender} puts on the source: queues up to {@code prefetch} elements (it never
 * requests more than that), writes them into the ring in order, and replenishes demand as they leave the queue.
 *
 * <p>Work-in-progress loop: every signal (an element, the end, a cancel, room in the ring) increments {@code wip};
 * the thread that moved it from zero drains. So elements are usually written on the source's own thread, in its
 * {@code onNext}; only a resume after a full ring hops onto the sender's scheduler worker (the space signal comes on
 * the ring consumer's thread, which must not do a producer's work).
 *
 * <p>Full ring: DROP_NEWEST drops the element (counted once, with reason {@code full}); BACKPRESSURE keeps it at
 * the head of the queue, registers for the ring's space signal, retries once (a free may have landed between the
 * failed claim and the registration), and otherwise waits: the space signal, or the backstop timer, drains again.
 *
 * @param <T> the element type
 */
final class SendSubscriber<T> implements CoreSubscriber<T>, Scannable {

    /** Where the outcome of each element and of the whole send goes (a MonoSink or a FluxSink of results). */
    interface Outcome<T> {
        void written(T value);

        void dropped(T value, DropReason reason);

        void complete();

        void error(Throwable error);

        Context context();
    }

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<SendSubscriber> WIP =
            AtomicIntegerFieldUpdater.newUpdater(SendSubscriber.class, "wip");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<SendSubscriber> WAITING =
            AtomicIntegerFieldUpdater.newUpdater(SendSubscriber.class, "waiting");

    private final RingWriter<T> writer;
    private final OverflowPolicy policy;
    private final Outcome<T> outcome;
    private final Scheduler.Worker worker;
    private final Scheduler timer;
    private final long retryNanos;
    private final int prefetch;
    private final int limit;
    private final Queue<T> queue;
    private final Runnable onSpace = this::onSpace;
    private final Runnable backstop = this::onBackstop;
    private final Runnable resume = this::drain;

    /**
     * Volatile: with {@link #cancelled} it is a Dekker pair (onSubscribe writes it, then reads cancelled; cancel
     * writes cancelled, then reads it), so a cancel that races the source's onSubscribe still cancels the source.
     */
    private volatile Subscription upstream;
    /** Volatile read-modify-writes: each signal's state (queue, done, cancelled) is written before its increment. */
    private volatile int wip;
    /** 1 while registered for the space signal and not yet woken; the CAS to 0 decides who schedules the resume. */
    private volatile int waiting;
    /**
     * A backstop timer is pending: at most one per sender, however often the ring fills. Volatile, a Dekker pair with
     * {@link #waiting}: awaitSpace writes waiting, then reads this; the timer clears this, then reads waiting (in
     * onSpace), so either a new timer is armed or the firing one resumes the sender.
     */
    private volatile boolean backstopArmed;
    /** The source ended; {@link #error} is set first. Read by the drain after a wip increment. */
    private volatile boolean done;
    private Throwable error;
    /** Cancelled downstream, or ended by the drain (error, closed ring): the queue is cleared, nothing more signals. */
    private volatile boolean cancelled;
    /** Drain-owner: elements taken off the queue since the last replenishing request. */
    private int consumed;
    private boolean terminated;

    SendSubscriber(RingWriter<T> writer, OverflowPolicy policy, Outcome<T> outcome, Scheduler scheduler,
            Scheduler timer, long retryNanos, int prefetch) {
        this.writer = writer;
        this.policy = policy;
        this.outcome = outcome;
        this.worker = scheduler.createWorker();
        this.timer = timer;
        this.retryNanos = retryNanos;
        this.prefetch = prefetch;
        this.limit = prefetch == Integer.MAX_VALUE ? Integer.MAX_VALUE : prefetch - (prefetch >> 2); // 75%, as publishOn
        this.queue = Queues.<T>get(prefetch).get();
    }

    @Override
    public Context currentContext() {
        return outcome.context();
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            if (cancelled) {
                s.cancel(); // the send was cancelled before the source subscribed
                return;
            }
            s.request(prefetch == Integer.MAX_VALUE ? Long.MAX_VALUE : prefetch);
        }
    }

    @Override
    public void onNext(T value) {
        if (value == null) {
            throw new NullPointerException("onNext called with null (Reactive Streams rule 2.13)");
        }
        if (done || cancelled) {
            Operators.onNextDropped(value, currentContext());
            return;
        }
        if (!queue.offer(value)) {
            Operators.onDiscard(value, currentContext());
            onError(Operators.onOperatorError(upstream, Exceptions.failWithOverflow(
                    "the source emitted more than the " + prefetch + " elements the ring sender requested"),
                    value, currentContext()));
            return;
        }
        drain();
    }

    @Override
    public void onError(Throwable throwable) {
        if (throwable == null) {
            throw new NullPointerException("onError called with null (Reactive Streams rule 2.13)");
        }
        if (done) {
            Operators.onErrorDropped(throwable, currentContext());
            return;
        }
        error = throwable;
        done = true;
        drain();
    }

    @Override
    public void onComplete() {
        if (done) {
            return;
        }
        done = true;
        drain();
    }

    /** Downstream cancelled the send: stop the source, drop what is queued. */
    void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        final Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
        drain();
    }

    /** The ring's consumer freed space (on its thread), or the backstop timer fired: resume on our worker. */
    private void onSpace() {
        if (WAITING.compareAndSet(this, 1, 0)) {
            try {
                worker.schedule(resume);
            } catch (RejectedExecutionException rejected) {
                drain(); // the worker is gone (disposed on termination): nothing left to resume, or run here
            }
        }
    }

    private void drain() {
        // The thread that moves wip from zero owns the loop until it has seen every increment.
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            drainQueue();
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainQueue() {
        if (terminated) {
            return;
        }
        for (;;) {
            if (cancelled) {
                end(null, false);
                return;
            }
            final boolean sourceDone = done;
            final T value = queue.peek();
            if (value == null) {
                if (sourceDone) {
                    end(error, true);
                }
                return;
            }
            final int result;
            try {
                result = writer.write(value);
            } catch (Throwable failure) {
                Exceptions.throwIfJvmFatal(failure);
                queue.poll();
                stopSource();
                end(Operators.onOperatorError(failure, currentContext()), true);
                return;
            }
            if (result == RingWriter.WRITTEN) {
                taken();
                outcome.written(value);
            } else if (result == RingWriter.CLOSED) {
                writer.ring.countDrop(DropReason.CLOSED);
                taken();
                outcome.dropped(value, DropReason.CLOSED);
                stopSource();
                end(new IllegalStateException("ring '" + writer.ring.name() + "' was closed while sending: the "
                        + "rest of the source is not written"), true);
                return;
            } else if (policy != OverflowPolicy.BACKPRESSURE) { // DROP_NEWEST; OVERWRITE_OLDEST when a busy record blocks
                writer.ring.countDrop(DropReason.FULL);
                taken();
                outcome.dropped(value, DropReason.FULL);
            } else if (waiting == 0) {
                awaitSpace(); // then retry once: a free may have landed before we registered
            } else {
                return; // full, registered: the space signal or the timer resumes us
            }
        }
    }

    /** Registers for the ring's space signal and arms the backstop timer. */
    private void awaitSpace() {
        waiting = 1;
        SpaceWaiters.of(writer.ring).await(onSpace);
        if (!backstopArmed) {
            backstopArmed = true;
            try {
                timer.schedule(backstop, retryNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException noTimer) {
                // A scheduler without a timer (immediate, a plain executor): the backstop ticks on parallel().
                Schedulers.parallel().schedule(backstop, retryNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void onBackstop() {
        backstopArmed = false;
        onSpace();
    }

    /** The head element left the queue: replenish the source's demand every {@code limit} elements. */
    private void taken() {
        queue.poll();
        if (++consumed == limit) {
            consumed = 0;
            upstream.request(limit);
        }
    }

    private void stopSource() {
        cancelled = true;
        upstream.cancel();
    }

    /** Ends the send once: clears what is left, tells the outcome (unless cancelled downstream), frees the worker. */
    private void end(Throwable failure, boolean signal) {
        terminated = true;
        if (waiting != 0) {
            SpaceWaiters.of(writer.ring).forget(onSpace); // ended while waiting for room: do not stay registered
        }
        Operators.onDiscardQueueWithClear(queue, currentContext(), null);
        worker.dispose();
        if (!signal) {
            return;
        }
        if (failure != null) {
            outcome.error(failure);
        } else {
            outcome.complete();
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Scannable's own signature
    public Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return upstream;
        }
        if (key == Attr.PREFETCH) {
            return prefetch;
        }
        if (key == Attr.BUFFERED) {
            return queue.size();
        }
        if (key == Attr.TERMINATED) {
            return done && queue.isEmpty();
        }
        if (key == Attr.CANCELLED) {
            return cancelled;
        }
        if (key == Attr.NAME) {
            return writer.ring.name();
        }
        return null;
    }
}
