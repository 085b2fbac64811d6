package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.SpaceWaiter;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
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
 * the head of the queue and writes it in turn as the ring's {@link SpaceWaiter} (the core's one queue of producers
 * waiting for space, threads included): the waiter joins the queue, and its callback, run when the freed space can
 * serve it, drains again on our worker. No timer: the core's wake-up is exact in process, and a ring file's watcher
 * thread covers a consumer in another process.
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

    private final RingWriter<T> writer;
    private final OverflowPolicy policy;
    private final Outcome<T> outcome;
    private final Scheduler.Worker worker;
    private final int prefetch;
    private final int limit;
    private final Queue<T> queue;
    private final Runnable resume = this::drain;
    /** Our place in the ring's queue of producers waiting for space (BACKPRESSURE). */
    private final SpaceWaiter spaceWaiter;

    /**
     * Volatile: with {@link #cancelled} it is a Dekker pair (onSubscribe writes it, then reads cancelled; cancel
     * writes cancelled, then reads it), so a cancel that races the source's onSubscribe still cancels the source.
     */
    private volatile Subscription upstream;
    /** Volatile read-modify-writes: each signal's state (queue, done, cancelled) is written before its increment. */
    private volatile int wip;
    /** Drain-owner: the head element met a full ring, so it is written in turn, as {@link #spaceWaiter}. */
    private boolean inTurn;
    /** The source ended; {@link #error} is set first. Read by the drain after a wip increment. */
    private volatile boolean done;
    private Throwable error;
    /** Cancelled downstream, or ended by the drain (error, closed ring): the queue is cleared, nothing more signals. */
    private volatile boolean cancelled;
    /** Drain-owner: elements taken off the queue since the last replenishing request. */
    private int consumed;
    private boolean terminated;

    SendSubscriber(RingWriter<T> writer, OverflowPolicy policy, Outcome<T> outcome, Scheduler scheduler,
            int prefetch) {
        this.writer = writer;
        this.policy = policy;
        this.outcome = outcome;
        this.worker = scheduler.createWorker();
        this.spaceWaiter = writer.ring.spaceWaiter(this::onSpace);
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

    /** Our turn came in the ring's queue of waiting producers (on the consumer's or watcher's thread): resume. */
    private void onSpace() {
        try {
            worker.schedule(resume);
        } catch (RejectedExecutionException rejected) {
            drain(); // the worker is gone (disposed on termination): nothing left to resume, or run here
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
                result = inTurn ? writer.write(value, spaceWaiter) : writer.write(value);
            } catch (Throwable failure) {
                Exceptions.throwIfJvmFatal(failure);
                queue.poll();
                stopSource();
                end(Operators.onOperatorError(failure, currentContext()), true);
                return;
            }
            if (result == RingWriter.WRITTEN) {
                inTurn = false; // the waiter left the queue with its claim: the next elements try the fast path
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
            } else if (!inTurn) {
                inTurn = true; // write it again at once, as a waiter: joins the queue, or claims if its turn came
            } else {
                return; // queued: onSpace resumes us when our turn comes
            }
        }
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
        spaceWaiter.cancel(); // ended while waiting for room: leave the queue, pass our turn on
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
