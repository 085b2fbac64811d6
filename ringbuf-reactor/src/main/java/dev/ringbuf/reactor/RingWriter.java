package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
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
     * Writes {@code value}; nothing is counted as dropped here (the caller decides whether a failure is final).
     *
     * @return {@link #WRITTEN}, {@link #FULL} or {@link #CLOSED}
     * @throws IllegalArgumentException if the encoder's size is negative or above the ring's maxRecordSize
     */
    int write(T value) {
        final int size = encoder.sizeOf(value);
        if (size < 0 || size > ring.maxRecordSize()) {
            throw new IllegalArgumentException("encoded size " + size + " of " + value + " must be between 0 and "
                    + "maxRecordSize " + ring.maxRecordSize() + " of ring '" + ring.name() + "'");
        }
        final int offset = ring.tryClaim(size);
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
