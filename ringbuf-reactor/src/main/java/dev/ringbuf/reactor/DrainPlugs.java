package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.WakeupListener;
import java.util.List;
import reactor.core.Disposable;

/**
 * What a drain plugs into while it consumes a ring, and unplugs when it winds down: the ring's wakeup listener, the
 * poll timer ({@link PollTimer}) and the subscriber meters. Drain owner only.
 */
final class DrainPlugs {

    private final RingSubscription<?> subscription;
    private boolean listening;
    private boolean unplugged;
    private Disposable timer;
    private List<SubscriberMeters.Registration> meters;

    DrainPlugs(RingSubscription<?> subscription) {
        this.subscription = subscription;
    }

    /** The wakeup listener; call before the first consume (see {@link RingSubscription}'s start). */
    void listen() {
        subscription.target.setWakeupListener(subscription);
        listening = true;
    }

    /** The meters and the poll timer, once consuming. */
    void startTimerAndMeters(Runnable poll) {
        final DrainSettings settings = subscription.settings;
        final RingBuffer metered = subscription.target.meteredRing();
        if (metered != null) {
            meters = SubscriberMeters.register(metered, subscription, settings.registry);
        }
        if (settings.pollIntervalNanos > 0) {
            timer = PollTimer.start(subscription.worker, settings.pollScheduler, poll, settings.pollIntervalNanos);
        }
    }

    boolean isUnplugged() {
        return unplugged;
    }

    /** Unplugs from the ring's signals: wakeups, timer, meters. Idempotent. */
    void unplug() {
        unplugged = true;
        if (listening) {
            listening = false;
            final WakeupListener previous = subscription.target.setWakeupListener(null);
            if (previous != subscription) {
                subscription.target.setWakeupListener(previous); // not ours (the user replaced it): leave it
            }
        }
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
        if (meters != null) {
            SubscriberMeters.remove(meters);
            meters = null;
        }
    }
}
