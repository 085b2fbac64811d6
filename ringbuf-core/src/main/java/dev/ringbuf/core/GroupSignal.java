package dev.ringbuf.core;

import java.time.Duration;

/**
 * The consumer side of a {@link RingGroup}'s wakeups, as {@link WakeupSignal} is a ring's: the group's
 * {@link WakeupListener} (the Reactor drain) and the one thread parked in {@link RingGroup#awaitData(Duration)}.
 * Each member ring's listener ({@link GroupMember}) calls {@link #signal()}.
 */
final class GroupSignal {

    /** The group's listener and parked consumer: the same mechanism as a ring's. */
    private final WakeupSignal signal = new WakeupSignal();

    WakeupListener setListener(WakeupListener listener) {
        return signal.setListener(listener);
    }

    /** A member ring's wakeup (or a membership change): the group's listener, and the thread parked in awaitData. */
    void signal() {
        signal.signal();
    }

    /**
     * The group's awaitData, guard held: parks until a member's record is ready, a member that abandons stuck
     * records reaches its stall timeout, the group is drained, or the deadline.
     *
     * @param readiness what the parked consumer re-checks once it has published itself
     * @param deadline in {@link System#nanoTime()} terms
     * @return whether a record is ready (or due to be abandoned by the next consume)
     */
    boolean await(RingGroup group, WakeupSignal.Readiness readiness, long deadline) throws InterruptedException {
        for (;;) {
            final long untilStall = untilStallTimeout(group.members());
            if (group.isRecordReady() || untilStall <= 0) {
                return true;
            }
            final long remaining = Math.min(deadline - System.nanoTime(), untilStall);
            if (remaining <= 0 || group.isClosedAndDrained()) {
                return false;
            }
            // The member's producer publishes its header, fences, reads the read position, then calls the member's
            // listener, which reaches this signal: park() is the consumer's half of that Dekker pair.
            signal.park(readiness, group, remaining);
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
