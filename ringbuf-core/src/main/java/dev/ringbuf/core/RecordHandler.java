package dev.ringbuf.core;

/**
 * Receives the records delivered by {@link RingBuffer#consume(RecordHandler)}, on the consumer's thread, in
 * reservation order.
 *
 * <p>The {@link Record} is a view into the ring and is valid only until this method returns; call
 * {@link Record#copy()} to keep its contents. If the handler throws, that record counts as consumed and the
 * exception propagates out of {@code consume}; no other record is lost.
 *
 * <pre>{@code
 * int n = ring.consume(record -> sum += record.getLong(0));
 * }</pre>
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Handles one committed record.
     *
     * @param record a view of the record, valid until this method returns
     */
    void onRecord(Record record);
}
