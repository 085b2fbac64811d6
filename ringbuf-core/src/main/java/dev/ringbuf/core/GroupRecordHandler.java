package dev.ringbuf.core;

/**
 * Receives the records a {@link RingGroup} consumes, with the ring each came from.
 *
 * <pre>{@code
 * group.consume((ring, record) -> handle(ring.name(), record.getLong(0)));
 * }</pre>
 */
@FunctionalInterface
public interface GroupRecordHandler {

    /**
     * Handles one committed record.
     *
     * @param ring the ring the record came from
     * @param record a view of the record, valid until this method returns
     */
    void onRecord(RingBuffer ring, Record record);
}
