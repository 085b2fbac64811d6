package dev.ringbuf.reactor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which subscription reads each ring or group: a ring (and a group) has one consumer and one wakeup listener, so it
 * has at most one subscriber at a time across every Flux made for it; later ones queue behind it ({@link HandOver}),
 * and one still queued behind a live subscriber after the hand-over timeout gets {@code onError}: one policy for rings
 * and groups. The slot lives with its ring or group ({@code attachments()}), not in a JVM-global table.
 *
 * <p>Hand-over: a new subscriber may replace one that was cancelled or terminated but whose drain has not yet let
 * go of the ring. The new one does not touch the ring until the old one is {@linkplain RingSubscription#isDetached()
 * detached}: the new one links itself as the old one's successor, then (in its drain) reads the old one's state; the
 * old one sets its state to detached, then reads its successor and drains it. Both write, then read the other's
 * write, all volatile, so at least one sees the other: the new one never waits for a hand-over nobody sends.
 */
final class Attachments {

    /** The latest subscription attached to this ring or group, or null when it has none. */
    private final AtomicReference<RingSubscription<?>> latest = new AtomicReference<>();

    private static Attachments of(DrainTarget target) {
        return target.attachments().get(Attachments.class, Attachments::new);
    }

    /**
     * Attaches {@code subscription} to {@code ring}, behind the latest subscription if there is one (ending or not:
     * see {@link HandOver}).
     *
     * @return the subscription it queues behind, or null if the ring was free
     */
    static RingSubscription<?> attach(DrainTarget target, RingSubscription<?> subscription) {
        final RingSubscription<?> previous = of(target).latest.getAndSet(subscription);
        if (previous != null) {
            subscription.predecessor = previous;
            previous.successor(subscription);
        }
        return previous;
    }

    /** The error of a subscriber queued behind one that stayed live past the hand-over timeout. */
    static IllegalStateException concurrentSubscriber(DrainTarget target, long handOverNanos) {
        return new IllegalStateException(target.label() + " already has a subscriber, still live after "
                + Duration.ofNanos(handOverNanos) + ": a ring or a group is read by one subscriber at a "
                + "time; fan out with RingFanOut, publish() or share() on one Flux");
    }

    /** Frees the ring's slot if {@code subscription} still has it (a successor may have taken it already). */
    static void detach(DrainTarget target, RingSubscription<?> subscription) {
        of(target).latest.compareAndSet(subscription, null);
    }
}
