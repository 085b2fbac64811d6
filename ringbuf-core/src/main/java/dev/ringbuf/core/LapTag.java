package dev.ringbuf.core;

/**
 * The lap tag of record headers in a ring file: bits 35..63 of a header word hold the lap of the record's position
 * ({@code position >>> log2(capacity)}, modulo 2^29), bits 32..34 its state and bits 0..31 its length.
 *
 * <p>Why: in a ring shared between processes the consumer may abandon a busy record whose producer stalled (see
 * {@code docs/shared-memory.md}). That producer, if merely slow, later commits with a compare-and-set from its own
 * busy header. Without the tag its expected value {@code busy|length} could match the header of a newer record at
 * the same offset one lap later (fixed-size records land on the same offsets lap after lap): an ABA that would
 * commit someone else's half-written record. With the tag the CAS can succeed only on the very reservation it was
 * made for, unless 2^29 laps pass while the producer sleeps. In-process rings never abandon records, so their tag
 * is always 0 and their header words are exactly those {@link RecordDescriptor} describes.
 */
final class LapTag {

    /** First bit of the tag in a header word. */
    static final int SHIFT = 35;
    /** The tag bits of a header word. */
    static final long MASK = -1L << SHIFT;
    /** The state bits, after {@link RecordDescriptor#state(long)}. */
    static final int STATE_MASK = 7;

    private LapTag() {
    }

    /**
     * The tag bits for a record at {@code position}.
     *
     * @param position the record's position
     * @param capacityShift {@code log2(capacity)}
     * @return the tag, in place in a header word
     */
    static long of(long position, int capacityShift) {
        return (position >>> capacityShift) << SHIFT;
    }

    /**
     * The state of a (possibly tagged) header word.
     *
     * @param header a header word
     * @return one of the {@code RecordDescriptor.STATE_} constants
     */
    static int state(long header) {
        return RecordDescriptor.state(header) & STATE_MASK;
    }
}
