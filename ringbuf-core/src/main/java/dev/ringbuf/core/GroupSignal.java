package dev.ringbuf.core;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The consumer side of a {@link RingGroup}'s wakeups, as {@link WakeupSignal} is a ring's: the group's
 * {@link WakeupListener} (the Reactor drain) and the one thread parked in {@link RingGroup#awaitData(Duration)}.
 * Each member ring's listener ({@link GroupMember}) calls {@link #signal()}.
 */
final class GroupSignal {

    /** Read on every member wakeup; written when a consumer (un)plugs itself. */
    private volatile WakeupListener listener;
    /** The consumer thread parked in awaitData, or null. */
    private volatile Thread waiter;

    WakeupListener setListener(WakeupListener listener) {
        final WakeupListener previous = this.listener;
        this.listener = listener;
        return previous;
    }

    /** A member ring's wakeup (or a membership change): the group's listener, and the thread parked in awaitData. */
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
     * The group's awaitData, guard held: parks until a member's record is ready, a member that abandons stuck
     * records reaches its stall timeout, the group is drained, or the deadline.
     *
     * @param deadline in {@link System#nanoTime()} terms
     * @return whether a record is ready (or due to be abandoned by the next consume)
     */
    boolean await(RingGroup group, long deadline) throws InterruptedException {
        for (;;) {
            final long untilStall = untilStallTimeout(group.members());
            if (group.isRecordReady() || untilStall <= 0) {
                return true;
            }
            final long remaining = Math.min(deadline - System.nanoTime(), untilStall);
            if (remaining <= 0 || group.isClosedAndDrained()) {
                return false;
            }
            waiter = Thread.currentThread();
            // StoreLoad: publish ourselves before the last look at the rings' headers, the consumer's half of the
            // Dekker pair with ProducerPath.publish's fence (the producer publishes its header, fences, reads the
            // read position, then calls the member's listener, which reads waiter): either we see the commit, or
            // its producer's wakeup sees us.
            VarHandle.fullFence();
            try {
                if (group.isRecordReady() || group.isClosedAndDrained()) {
                    continue;
                }
                LockSupport.parkNanos(group, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for records of " + group);
                }
            } finally {
                waiter = null;
            }
        }
    }

    /** Nanoseconds until a member that abandons stuck records reaches its stall timeout at a busy record. */
    private static long untilStallTimeout(GroupMember[] members) {
        long least = Long.MAX_VALUE;
        for (GroupMember member : members) {
            final long blocked = member.ring.blockedNanos();
            if (blocked > 0) {
                final Duration stall = member.ring.stallTimeout().orElse(null);
                if (stall != null) {
                    least = Math.min(least, stall.toNanos() - blocked);
                }
            }
        }
        return least;
    }
}
