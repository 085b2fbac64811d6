package dev.ringbuf.jcstress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;

/**
 * Recognisable payloads, so that a test can tell a full record from a stale, torn, zeroed or overlapped one. A
 * payload of {@code n >= 16} bytes ({@code n} a multiple of 8) is the magic word, then a word that encodes the
 * record's id, repeated in every later word.
 */
final class Payloads {

    /** Marker of a payload's first word: a bit pattern that zeroed or never-written memory does not have. */
    static final long MAGIC = 0x5EED_CAFE_F00D_BEEFL;

    /** The smallest payload. */
    static final int SIZE = 16;

    /** Returned by {@link #id(Record)} for a payload that is not a valid one. */
    static final int CORRUPT = 9;

    private Payloads() {
    }

    /**
     * Writes the payload of record {@code id} over the whole reservation.
     *
     * @param reservation a live reservation of a multiple of 8 bytes, at least {@link #SIZE}
     * @param id the record's identity, 1 to 8
     */
    static void write(Reservation reservation, int id) {
        reservation.putLong(0, MAGIC);
        for (int index = 8; index < reservation.length(); index += 8) {
            reservation.putLong(index, word(id));
        }
    }

    /**
     * Writes the payload of record {@code id} into a ring's buffer, for the zero-allocation claim path.
     *
     * @param buffer the ring's buffer
     * @param offset the offset the claim returned
     * @param length the claimed length, a multiple of 8, at least {@link #SIZE}
     * @param id the record's identity, 1 to 8
     */
    static void write(ByteBuffer buffer, int offset, int length, int id) {
        buffer.putLong(offset, MAGIC);
        for (int index = 8; index < length; index += 8) {
            buffer.putLong(offset + index, word(id));
        }
    }

    /**
     * The payload of record {@code id} as bytes, for {@code output}.
     *
     * @param length a multiple of 8, at least {@link #SIZE}
     * @param id the record's identity, 1 to 8
     * @return a new array
     */
    static byte[] bytes(int length, int id) {
        final ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        write(buffer, 0, length, id);
        return buffer.array();
    }

    /**
     * The identity a delivered record carries.
     *
     * @param record the delivered record
     * @return its id, or {@link #CORRUPT} if its payload is not a whole valid one
     */
    static int id(Record record) {
        final int length = record.length();
        if (length < SIZE || length % 8 != 0 || record.getLong(0) != MAGIC) {
            return CORRUPT;
        }
        final long word = record.getLong(8);
        final int id = (int) word;
        if (word != word(id) || id < 1 || id > 8) {
            return CORRUPT;
        }
        for (int index = 16; index < length; index += 8) {
            if (record.getLong(index) != word) {
                return CORRUPT;
            }
        }
        return id;
    }

    private static long word(int id) {
        return ((long) ~id << 32) | (id & 0xFFFF_FFFFL);
    }
}
