package dev.ringbuf.core;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The consumer side of a wakeup in this process: the {@link WakeupListener} (the Reactor drain) and the thread parked
 * in {@link RingBuffer#awaitData(java.time.Duration)}. Producers call {@link #signal()} after deciding to wake.
 */
final class WakeupSignal {

    /** Read by producers only on a wakeup; written when a consumer (un)plugs itself. */
    private volatile WakeupListener listener;
    /** The consumer thread parked in awaitData, or null. */
    private volatile Thread waiter;

    WakeupListener setListener(WakeupListener listener) {
        final WakeupListener previous = this.listener;
        this.listener = listener;
        return previous;
    }

    /** Tells this process's consumer to run: its listener, and the thread parked in awaitData. */
    void signal() {
        final WakeupListener current = listener;
        if (current != null) {
            current.onWakeup();
        }
        final Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }

    /**
     * The in-process consumer's wait: parks until a producer's {@link #signal()}, the deadline, or the end.
     *
     * @param consumer what the consumer can see
     * @param blocker the park blocker (the ring)
     * @param deadline in {@link System#nanoTime()} terms
     * @return whether a record is ready
     */
    boolean await(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException {
        for (;;) {
            if (consumer.isRecordReady()) {
                return true;
            }
            if (consumer.isEndedAndRead()) {
                return false;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            park(consumer, blocker, remaining);
        }
    }

    /** What a parked consumer re-checks after publishing itself: whether it has something to do, or the end. */
    interface Readiness {
        /** @return whether a record is ready, or the stream ended and was read */
        boolean readyOrEnded();
    }

    /**
     * Parks this thread as the waiter for at most {@code nanos}, unless {@code readiness} holds once it is
     * published. The caller loops and re-checks everything after it returns.
     */
    void park(Readiness readiness, Object blocker, long nanos) throws InterruptedException {
        waiter = Thread.currentThread();
        // StoreLoad: publish ourselves as the waiter before the last look at the header, the consumer's half of
        // the Dekker pair with ProducerPath.publish's fence: either we see the commit, or its producer sees us.
        VarHandle.fullFence();
        try {
            if (readiness.readyOrEnded()) {
                return;
            }
            LockSupport.parkNanos(blocker, nanos);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for records of " + blocker);
            }
        } finally {
            waiter = null;
        }
    }
}
