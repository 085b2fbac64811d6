package dev.ringbuf.core;

/**
 * One ring of a {@link RingGroup}: adapts the group's handler to the ring's {@link ControlledRecordHandler} (so
 * consuming allocates nothing) and is the ring's {@link WakeupListener}, passing its wakeups on to the group.
 */
final class GroupMember implements ControlledRecordHandler, WakeupListener {

    final RingBuffer ring;
    private final RingGroup group;
    // Consumer only (the group's guard is held while these are set and read).
    private GroupRecordHandler plain;
    private ControlledGroupRecordHandler controlled;
    /** The handler ended the group's batch (BREAK or ABORT). */
    boolean stopped;

    GroupMember(RingGroup group, RingBuffer ring) {
        this.group = group;
        this.ring = ring;
    }

    /** Consumes at most {@code limit} records of this ring with one of the two handlers. Group guard held. */
    int consume(ControlledGroupRecordHandler controlled, GroupRecordHandler plain, int limit) {
        this.controlled = controlled;
        this.plain = plain;
        stopped = false;
        try {
            return ring.controlledConsume(this, limit);
        } finally {
            this.controlled = null;
            this.plain = null;
        }
    }

    @Override
    public Action onRecord(Record record) {
        if (controlled == null) {
            plain.onRecord(ring, record);
            return Action.CONTINUE;
        }
        final Action action = controlled.onRecord(ring, record);
        if (action != Action.CONTINUE) {
            stopped = true;
        }
        return action;
    }

    @Override
    public void onWakeup() {
        group.onRingWakeup();
    }
}
