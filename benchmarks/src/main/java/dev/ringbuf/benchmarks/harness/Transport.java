package dev.ringbuf.benchmarks.harness;

/**
 * One implementation under test (ringbuf or a peer), reduced to the work every implementation does: producers send
 * 32-byte records, lossless (spinning with {@link Backoff} while full); one consumer drains what is there and hands
 * each record's sequence to the {@link Validator}.
 */
public interface Transport extends AutoCloseable {

    /**
     * A producer handle for one thread.
     *
     * @param id producer id, 0 to {@link Records#MAX_PRODUCERS} - 1
     * @return the handle, used by one thread only
     */
    Producer producer(int id);

    /**
     * Drains the records available now (at most the ring's content) into the validator. Consumer thread only.
     *
     * @param validator receives every record's sequence
     * @return records drained
     */
    int poll(Validator validator);

    @Override
    default void close() {
    }

    /** A producer thread's handle. */
    interface Producer {
        /**
         * Sends one record, waiting (with {@link Backoff}) while the ring is full.
         *
         * @param sequence the record's sequence: bytes 0-7; bytes 8-31 are filler
         */
        void send(long sequence);
    }
}
