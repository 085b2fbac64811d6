package dev.ringbuf.benchmarks.harness;

/**
 * The record every implementation moves: 32 bytes, an 8-byte sequence followed by 24 bytes of filler, all written.
 * The sequence carries the producer's id in its top byte and that producer's record count below, so that one word
 * lets the consumer check per-producer order and loss.
 */
public final class Records {

    /** Payload bytes of every record. */
    public static final int SIZE = 32;
    /** Bits of the sequence that count records; the producer id sits above them. */
    public static final int COUNT_BITS = 56;
    /** Most producers a harness supports. */
    public static final int MAX_PRODUCERS = 8;

    private Records() {
    }

    /**
     * The first sequence of a producer.
     *
     * @param producer the producer id, 0 to {@link #MAX_PRODUCERS} - 1
     * @return its sequence number 0
     */
    public static long firstSequence(int producer) {
        return (long) producer << COUNT_BITS;
    }

    /**
     * The producer id in a sequence.
     *
     * @param sequence a record's sequence
     * @return the id, masked to the harness range
     */
    public static int producerOf(long sequence) {
        return (int) (sequence >>> COUNT_BITS) & (MAX_PRODUCERS - 1);
    }

    /**
     * Filler word {@code i} (1..3) of the record with this sequence: cheap, distinct, and written by every producer.
     *
     * @param sequence the record's sequence
     * @param i which word
     * @return the value
     */
    public static long filler(long sequence, int i) {
        return sequence ^ (0x9E3779B97F4A7C15L * i);
    }
}
