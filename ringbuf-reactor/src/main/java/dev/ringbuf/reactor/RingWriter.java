package dev.ringbuf.reactor;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.SpaceWaiter;
import dev.ringbuf.core.Wakeup;
import java.nio.ByteBuffer;

/**
 * Writes one value into a ring in place: size, {@code tryClaim}, encode into the reservation, commit. Shared by the
 * sender and the emitter; thread-safe (the ring's claim is), allocation-free.
 *
 * @param <T> the encoded type
 */
final class RingWriter<T> {

    /** {@link #write} result: the value is committed. */
    static final int WRITTEN = 0;
    /** {@link #write} result: the ring has no room now ({@link RingBuffer#CLAIM_FULL}). */
    static final int FULL = RingBuffer.CLAIM_FULL;
    /** {@link #write} result: the stream ended ({@link RingBuffer#CLAIM_CLOSED}). */
    static final int CLOSED = RingBuffer.CLAIM_CLOSED;

    final RingBuffer ring;
    private final RecordEncoder<? super T> encoder;
    private final Wakeup wakeup;
    /** The ring's data area; absolute accessors only, so one view serves every thread. */
    private final ByteBuffer buffer;

    RingWriter(RingBuffer ring, RecordEncoder<? super T> encoder, Wakeup wakeup) {
        this.ring = ring;
        this.encoder = encoder;
        this.wakeup = wakeup;
        this.buffer = ring.buffer();
    }

    /**
     * Writes {@code value} if the ring has room now; nothing is counted as dropped here (the caller decides whether a
     * failure is final).
     *
     * @return {@link #WRITTEN}, {@link #FULL} or {@link #CLOSED}
     * @throws IllegalArgumentException if the encoder's size is negative or above the ring's maxRecordSize
     */
    int write(T value) {
        final int size = sizeOf(value);
        return encode(value, ring.tryClaim(size));
    }

    /**
     * Writes {@code value} in turn, as {@code waiter} (the ring's one queue of producers waiting for space): claims if
     * the waiter's turn came, else {@link #FULL} and the waiter is queued (its callback runs when its turn comes).
     *
     * @return {@link #WRITTEN}, {@link #FULL} or {@link #CLOSED}
     * @throws IllegalArgumentException if the encoder's size is negative or above the ring's maxRecordSize
     */
    int write(T value, SpaceWaiter waiter) {
        final int size = sizeOf(value);
        return encode(value, waiter.tryClaim(size));
    }

    /** The encoded size of {@code value}, checked against the ring's maxRecordSize. */
    int sizeOf(T value) {
        final int size = encoder.sizeOf(value);
        if (size < 0 || size > ring.maxRecordSize()) {
            throw new IllegalArgumentException("encoded size " + size + " of " + value + " must be between 0 and "
                    + "maxRecordSize " + ring.maxRecordSize() + " of ring '" + ring.name() + "'");
        }
        return size;
    }

    /**
     * Encodes into {@code reservation} (claimed by a waiting reserve) and commits it; an encoder that throws leaves
     * it to the caller's try-with-resources, which discards it.
     */
    void encode(T value, Reservation reservation) {
        encoder.encode(value, buffer, reservation.offset());
        reservation.commit(wakeup);
    }

    /** Encodes into the record claimed at {@code offset} and commits it; a failed claim is returned as it is. */
    private int encode(T value, int offset) {
        if (offset < 0) {
            return offset;
        }
        try {
            encoder.encode(value, buffer, offset);
        } catch (Throwable error) {
            ring.discard(offset, wakeup); // the reservation must end, or the consumer would wait for it
            throw error;
        }
        ring.commit(offset, wakeup);
        return WRITTEN;
    }
}
