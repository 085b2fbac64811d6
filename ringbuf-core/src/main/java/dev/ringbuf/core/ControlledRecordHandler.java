package dev.ringbuf.core;

/**
 * Receives records like a {@link RecordHandler}, and says after each whether the consumer goes on: a handler can
 * end a batch early without throwing (Agrona's {@code ControlledMessageHandler}, libbpf's negative callback return).
 *
 * <pre>{@code
 * int n = ring.controlledConsume(record -> {
 *     out.write(record.buffer());
 *     return out.isFull() ? ControlledRecordHandler.Action.BREAK : ControlledRecordHandler.Action.CONTINUE;
 * }, 64);
 * }</pre>
 *
 * @see RingBuffer#controlledConsume(ControlledRecordHandler, int)
 */
@FunctionalInterface
public interface ControlledRecordHandler {

    /** What the consumer does after a record. */
    enum Action {
        /** The record is consumed; go on to the next one. */
        CONTINUE,
        /** The record is consumed; end this batch here (the next consume starts after it). */
        BREAK,
        /** The record is not consumed: end this batch before it, and deliver it again on the next consume. */
        ABORT
    }

    /**
     * Handles one committed record.
     *
     * @param record a view of the record, valid until this method returns
     * @return whether to go on
     */
    Action onRecord(Record record);
}
