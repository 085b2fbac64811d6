package dev.ringbuf.reactor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Writes a value into a ring in place: first its size, then its bytes straight into the reserved space (no
 * intermediate array). Used by {@link RingBufferSender} and {@link RingEmitter}.
 *
 * <pre>{@code
 * RecordEncoder<Event> encoder = RecordEncoder.of(event -> 12, (event, buffer, offset) -> buffer
 *         .putLong(offset, event.seq())
 *         .putInt(offset + 8, event.pid()));
 * }</pre>
 *
 * @param <T> the encoded type
 */
public interface RecordEncoder<T> {

    /**
     * The payload size of {@code value}, in bytes; called once per value, right before the reservation.
     *
     * @param value the value
     * @return 0 to the ring's {@code maxRecordSize()}
     */
    int sizeOf(T value);

    /**
     * Writes {@code value} into the reservation: exactly {@link #sizeOf(Object) sizeOf(value)} bytes from
     * {@code offset}, with the buffer's absolute (little-endian) accessors. Must not keep the buffer. If it throws,
     * the reservation is discarded and the exception ends the send.
     *
     * @param value the value
     * @param buffer the ring's data area ({@code ring.buffer()}), little-endian
     * @param offset where the payload starts
     */
    void encode(T value, ByteBuffer buffer, int offset);

    /**
     * An encoder from a size function and a writer.
     *
     * @param size the payload size of a value
     * @param writer writes a value at an offset
     * @param <T> the encoded type
     * @return the encoder
     * @throws NullPointerException if an argument is null
     */
    static <T> RecordEncoder<T> of(ToIntFunction<? super T> size, Writer<? super T> writer) {
        Objects.requireNonNull(size, "size must not be null");
        Objects.requireNonNull(writer, "writer must not be null");
        return new RecordEncoder<T>() {
            @Override
            public int sizeOf(T value) {
                return size.applyAsInt(value);
            }

            @Override
            public void encode(T value, ByteBuffer buffer, int offset) {
                writer.write(value, buffer, offset);
            }
        };
    }

    /**
     * Byte arrays as they are.
     *
     * @return the encoder
     */
    static RecordEncoder<byte[]> bytes() {
        return of(bytes -> bytes.length, (bytes, buffer, offset) -> buffer.put(offset, bytes));
    }

    /**
     * Strings as UTF-8 (encoded once to learn the size: one array per value).
     *
     * @return the encoder
     */
    static RecordEncoder<String> utf8() {
        final RecordEncoder<byte[]> bytes = bytes();
        return of(text -> text.getBytes(StandardCharsets.UTF_8).length,
                (text, buffer, offset) -> bytes.encode(text.getBytes(StandardCharsets.UTF_8), buffer, offset));
    }

    /**
     * Writes a value at an offset of the ring's buffer.
     *
     * @param <T> the encoded type
     */
    @FunctionalInterface
    interface Writer<T> {
        /**
         * Writes {@code value} at {@code offset}.
         *
         * @param value the value
         * @param buffer the ring's data area, little-endian
         * @param offset where the payload starts
         */
        void write(T value, ByteBuffer buffer, int offset);
    }
}
