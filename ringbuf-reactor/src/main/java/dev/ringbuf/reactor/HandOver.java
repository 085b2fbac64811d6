package dev.ringbuf.reactor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The hand-over of a ring between consecutive subscribers (one job of a {@link RingSubscription}): a subscription
 * that attaches while its predecessor is still ending (cancelled or terminated, drain not yet let go) waits, without
 * touching the ring, until the predecessor detaches and tells it. So a resubscription right after a cancel always
 * succeeds, whatever runs between the ring and the cancelling operator, and nothing is read twice or skipped.
 *
 * <p>A subscription may also attach while its predecessor is still live: Reactor's cancellation is asynchronous (a
 * {@code flatMap} or {@code share()} between the ring and a {@code take} may pass the cancel on later, from its own
 * drain loop), so the new one queues behind it. If the predecessor is still live (not cancelled) after the
 * hand-over timeout, it is a genuinely concurrent second subscriber and gets {@code onError(IllegalStateException)}.
 *
 * <p>States move forward only: WAITING (attached, has not touched the ring), STARTED (consuming), DETACHED (let go
 * for good). The hand-over is a Dekker pair: the successor links itself ({@link #successor}), then reads the
 * predecessor's state; the predecessor writes DETACHED, then reads its successor. Both volatile, so at least one
 * sees the other and the successor never waits for a hand-over nobody sends.
 */
abstract class HandOver {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<HandOver> STATE =
            AtomicIntegerFieldUpdater.newUpdater(HandOver.class, "state");

    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int DETACHED = 2;

    /**
     * WAITING, STARTED or DETACHED; moves by CAS (the drain and a predecessor's thread may both try to detach a
     * subscription that ended before it started). Volatile: half of the Dekker pair with {@link #successor}, which
     * plain or release/acquire accesses would not order (write one, then read the other).
     */
    private volatile int state;
    /** Who attached while this one was ending: told when this one detaches (the other half of the Dekker pair). */
    private volatile HandOver successor;
    /** Written before {@code onSubscribe} (by {@link Attachments}), read by the first run (ordered by the schedule). */
    HandOver predecessor;
    /** Set by the hand-over timer: a predecessor still live now is a concurrent subscriber, not a cancelling one. */
    private volatile boolean handOverExpired;

    /** Cancelled or terminated: a new subscriber may take over. */
    abstract boolean isEnding();

    /** Signals the drain (the predecessor let go: this one may start). */
    abstract void drain();

    /** Frees what this subscription holds once it has let go of the ring (attachment slot, worker). */
    abstract void onDetached();

    /** The predecessor let go of the ring: start, or, if this one ended before it ever started, let go too. */
    final void onPredecessorDetached() {
        // WAITING -> DETACHED here races only with this subscription's own drain doing the same (CAS); a drain that
        // already STARTED is never detached from outside.
        if (isEnding() && STATE.compareAndSet(this, WAITING, DETACHED)) {
            finishDetach();
            return;
        }
        drain();
    }

    /**
     * Queued behind a live predecessor: arms the hand-over timer on {@code worker} (or {@code Schedulers.parallel()}
     * when the worker has no timer), which drains this subscription once {@code nanos} have passed.
     */
    final void armHandOverTimer(Scheduler.Worker worker, long nanos) {
        final Runnable expire = () -> {
            handOverExpired = true;
            drain();
        };
        try {
            worker.schedule(expire, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException noTimer) {
            Schedulers.parallel().schedule(expire, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether the hand-over timed out while a subscription ahead of this one is still live (neither ending nor
     * detached): the predecessor, or one it waits behind itself (a chain of subscribers that cancelled before they
     * started, queued behind a live one). Racy reads of the chain are fine: it only shortens.
     */
    final boolean predecessorOverstayed() {
        if (!handOverExpired) {
            return false;
        }
        HandOver ahead = predecessor;
        for (int hops = 0; ahead != null && hops < MAX_CHAIN; hops++) {
            if (!ahead.isEnding() && ahead.state != DETACHED) {
                return true;
            }
            ahead = ahead.predecessor;
        }
        return false;
    }

    /** How far {@link #predecessorOverstayed()} looks ahead. */
    private static final int MAX_CHAIN = 64;

    /** Takes the ring once the predecessor let go of it; drain owner only. @return whether this one may read now */
    final boolean tryTakeRing() {
        final HandOver previous = predecessor;
        if (previous != null && previous.state != DETACHED) {
            return false; // its detach drains us again
        }
        if (!STATE.compareAndSet(this, WAITING, STARTED)) {
            return false;
        }
        predecessor = null;
        return true;
    }

    /** Lets go of the ring unless a predecessor still holds it (then its detach finishes ours). */
    final boolean tryDetach() {
        final int current = state;
        if (current == DETACHED) {
            return true;
        }
        if (current == WAITING) {
            final HandOver previous = predecessor;
            if (previous != null && previous.state != DETACHED) {
                return false;
            }
        }
        if (!STATE.compareAndSet(this, current, DETACHED)) {
            return state == DETACHED;
        }
        finishDetach();
        return true;
    }

    private void finishDetach() {
        predecessor = null;
        onDetached();
        // After the DETACHED write (volatile), read the successor (volatile): it wrote itself there before reading
        // our state, so at least one of us sees the other.
        final HandOver next = successor;
        if (next != null) {
            successor = null;
            next.onPredecessorDetached();
        }
    }

    final void successor(HandOver next) {
        successor = next;
    }

    /** Consuming the ring (and not yet detached). */
    final boolean isStarted() {
        return state == STARTED;
    }

    final boolean isDetached() {
        return state == DETACHED;
    }
}
