package dev.ringbuf.core;

/**
 * Layout of one record in the data area: an 8-byte header, then the payload, padded to 8 bytes.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  payload length S (bytes)                     |  header word, bits  0..31
 *  +---------------------------------------------------------------+
 *  |          state: 0 free, 1 busy, 2 committed, 3 discarded      |  header word, bits 32..63
 *  +---------------------------------------------------------------+
 *  |                        payload ...                           ...
 *  ...                                    +-----------------------+
 *  |                                      |   padding to 8 bytes  |
 *  +--------------------------------------+-----------------------+
 *                     rec(S) = roundUp(S + 8, 8) bytes in all
 * </pre>
 *
 * The header is one little-endian 64-bit word so that it is written and read atomically. The kernel keeps the
 * length and two flag bits (busy, discard) in 32 bits; here the state has its own half-word because the ring must
 * also tell "never written" from "committed with length 0": the consumer zeroes the bytes it has consumed, so a
 * header that reads {@code 0} is one a producer has claimed but not written yet, which the consumer treats exactly
 * like a busy one. That is what lets a producer claim space with a single CAS on the producer position and write
 * its header afterwards.
 */
final class RecordDescriptor {

    /** Bytes of the record header. */
    static final int HEADER_LENGTH = 8;
    /** Every record starts on this boundary. */
    static final int ALIGNMENT = 8;

    /** Header state: the bytes are zero, the producer that claimed them has not written its header yet. */
    static final int STATE_FREE = 0;
    /** Header state: reserved, not yet committed. The consumer stops here. */
    static final int STATE_BUSY = 1;
    /** Header state: committed; the consumer delivers it. */
    static final int STATE_COMMITTED = 2;
    /** Header state: discarded; the consumer skips it. */
    static final int STATE_DISCARDED = 3;

    private RecordDescriptor() {
    }

    /**
     * Bytes a record of payload {@code length} occupies in the ring.
     *
     * @param length payload length, non-negative
     * @return {@code roundUp(length + 8, 8)}
     */
    static int recordLength(int length) {
        return (length + HEADER_LENGTH + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * The header word for a record in {@code state} with payload {@code length}.
     *
     * @param state one of the {@code STATE_} constants
     * @param length payload length
     * @return the 64-bit header word
     */
    static long header(int state, int length) {
        return ((long) state << 32) | (length & 0xFFFF_FFFFL);
    }

    /**
     * The state half of a header word.
     *
     * @param header a header word
     * @return one of the {@code STATE_} constants (or garbage for a word that is not a header)
     */
    static int state(long header) {
        return (int) (header >>> 32);
    }

    /**
     * The payload length half of a header word.
     *
     * @param header a header word
     * @return payload length in bytes
     */
    static int length(long header) {
        return (int) header;
    }

    /**
     * A readable name of a header state, for exception messages.
     *
     * @param state one of the {@code STATE_} constants
     * @return its name
     */
    static String stateName(int state) {
        switch (state) {
            case STATE_FREE:
                return "free";
            case STATE_BUSY:
                return "busy";
            case STATE_COMMITTED:
                return "committed";
            case STATE_DISCARDED:
                return "discarded";
            default:
                return "invalid(" + state + ")";
        }
    }
}
