package dev.ringbuf.core;

/**
 * Receives the records a {@link RingGroup} consumes, with the ring each came from, and says whether to go on: the
 * group's {@link ControlledRecordHandler}. {@link ControlledRecordHandler.Action#BREAK BREAK} ends the whole group
 * batch after this record; {@link ControlledRecordHandler.Action#ABORT ABORT} ends it before this record, which is
 * delivered again by the next consume.
 *
 * <pre>{@code
 * group.controlledConsume((ring, record) -> queue.offer(record.copy()) ? Action.CONTINUE : Action.ABORT, 100);
 * }</pre>
 */
@FunctionalInterface
public interface ControlledGroupRecordHandler {

    /**
     * Handles one committed record.
     *
     * @param ring the ring the record came from
     * @param record a view of the record, valid until this method returns
     * @return whether to go on
     */
    ControlledRecordHandler.Action onRecord(RingBuffer ring, Record record);
}
