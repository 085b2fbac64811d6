package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A committed record: a read-only view of its payload in the ring's memory (zero copy), little-endian on every
 * platform.
 *
 * <p>A view is valid until the consumer moves past its record: for {@link RingBuffer#consume(RecordHandler)} that
 * is when the handler returns; for a Reactor {@code records()} stream when {@code onNext} returns, or when
 * {@link #release()} is called in manual-release mode. Reading it afterwards throws {@link IllegalStateException}.
 * {@link #copy()} makes a detached record that stays valid.
 *
 * <p>This type shares its simple name with {@code java.lang.Record}: import it by its single name
 * ({@code import dev.ringbuf.core.Record;}), never with {@code dev.ringbuf.core.*}.
 *
 * <pre>{@code
 * ring.consume(record -> {
 *     long seq = record.getLong(0);
 *     int pid = record.getInt(8);
 *     byte[] rest = new byte[record.length() - 12];
 *     record.getBytes(12, rest, 0, rest.length);
 * });
 * }</pre>
 *
 * <p>Subclasses are views made by the ring's consumers (this module and {@code ringbuf-reactor}), bound to one
 * record when they are made; users do not extend it. A view is confined to the thread that received it unless the receiver hands it on with a
 * happens-before edge (as Reactor's operators do).
 */
public abstract class Record {

    /** The position of a view that is not (or no longer) bound to a record. Real positions are never negative. */
    private static final long RELEASED = -1;

    // Two fields, so that a view costs 24 bytes with compressed oops (12-byte header, a reference, a long): the
    // Reactor binding allocates one per onNext. The payload's offset is derived from the position, and its length is
    // read from the record's header, which stays in the ring, untouched, for as long as the view is readable.
    private RecordMemory memory;
    private long position = RELEASED;

    /** Core's own views ({@link RecordView}, {@link DetachedRecord}): unbound until {@link #bind} is called. */
    Record() {
    }

    /**
     * For the views another module's consumer makes (Reactor's): a view of the committed record of {@code ring} at
     * {@code position}, typically the one a {@link RecordHandler} is receiving ({@code record.position()}). The view
     * reads the ring's memory and must be {@linkplain #invalidate() invalidated} before the consumer frees the
     * record's space. It is bound once, here: a view is never re-pointed at another record.
     *
     * @param ring the ring holding the record
     * @param position the record's position, as {@link #position()} reported it
     * @throws IllegalArgumentException if {@code position} is negative or not a multiple of 8
     */
    protected Record(RingBuffer ring, long position) {
        if (position < 0 || (position & (RingLayout.ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("position " + position + " is not a record position: positions are "
                    + "non-negative multiples of 8");
        }
        bind(ring.recordMemory(), position);
    }

    /** Points this view at the record at {@code position} of {@code memory}; no checks (core's own callers). */
    final void bind(RecordMemory memory, long position) {
        this.memory = memory;
        this.position = position;
    }

    /**
     * Ends this view: every later read throws {@link IllegalStateException}. Idempotent.
     */
    protected final void invalidate() {
        this.position = RELEASED;
    }

    /**
     * Whether this view may still be read.
     *
     * @return {@code false} once the consumer has moved past the record or it was released
     */
    public final boolean isReadable() {
        return position >= 0;
    }

    /**
     * The payload length.
     *
     * @return bytes of payload (the header and padding excluded)
     * @throws IllegalStateException if the view was released
     */
    public final int length() {
        checkReadable();
        return lengthOf(memory, position);
    }

    /** The payload length in the record's header (the low half of the little-endian header word). */
    private static int lengthOf(RecordMemory memory, long position) {
        return memory.buffer.getInt((int) (position & memory.mask));
    }

    /**
     * The record's position in the ring: the byte counter at which its header starts. Positions increase
     * strictly in reservation order, so they serve as record ids (the SSE sample uses them as {@code id:}).
     *
     * @return the record's position
     * @throws IllegalStateException if the view was released
     */
    public final long position() {
        checkReadable();
        return position;
    }

    /**
     * Index of the payload's first byte in {@link RingBuffer#buffer()}: the same offset that
     * {@link RingBuffer#claim(int)} returned to its producer. A detached copy reports the offset in its own copy.
     *
     * @return the payload offset
     * @throws IllegalStateException if the view was released
     */
    public final int offset() {
        checkReadable();
        return (int) (position & memory.mask) + RingLayout.HEADER_LENGTH;
    }

    /**
     * Reads one byte.
     *
     * @param index byte index in the payload
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, length())}
     * @throws IllegalStateException if the view was released
     */
    public final byte getByte(int index) {
        return memory.buffer.get(checkIndex(index, Byte.BYTES));
    }

    /**
     * Reads a little-endian short.
     *
     * @param index byte index in the payload
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the payload
     * @throws IllegalStateException if the view was released
     */
    public final short getShort(int index) {
        return memory.buffer.getShort(checkIndex(index, Short.BYTES));
    }

    /**
     * Reads a little-endian int.
     *
     * @param index byte index in the payload
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the payload
     * @throws IllegalStateException if the view was released
     */
    public final int getInt(int index) {
        return memory.buffer.getInt(checkIndex(index, Integer.BYTES));
    }

    /**
     * Reads a little-endian long.
     *
     * @param index byte index in the payload
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the payload
     * @throws IllegalStateException if the view was released
     */
    public final long getLong(int index) {
        return memory.buffer.getLong(checkIndex(index, Long.BYTES));
    }

    /**
     * Copies payload bytes into an array.
     *
     * @param index first payload byte to copy
     * @param dst the destination
     * @param dstOffset first index written in {@code dst}
     * @param count number of bytes
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if the view was released
     */
    public final void getBytes(int index, byte[] dst, int dstOffset, int count) {
        Objects.requireNonNull(dst, "dst must not be null");
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        memory.buffer.get(checkIndex(index, count), dst, dstOffset, count);
    }

    /**
     * A read-only little-endian view of the payload, from position 0 to limit {@link #length()}. It allocates a
     * small buffer object, and it reads the ring's memory: it is valid only as long as this record is.
     *
     * @return a new read-only buffer over the payload
     * @throws IllegalStateException if the view was released
     */
    public final ByteBuffer buffer() {
        checkReadable();
        return memory.buffer.slice(offset(), length()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies the payload into a new array.
     *
     * @return the payload bytes
     * @throws IllegalStateException if the view was released
     */
    public final byte[] toByteArray() {
        final byte[] bytes = new byte[length()];
        memory.buffer.get(offset(), bytes, 0, bytes.length);
        return bytes;
    }

    /**
     * A detached record with a copy of the payload: valid forever, safe to hand to other threads, same
     * {@link #position()}.
     *
     * @return the copy
     * @throws IllegalStateException if the view was released
     */
    public Record copy() {
        checkReadable();
        return new DetachedRecord(memory, position);
    }

    /**
     * Gives the record's space back to the ring. In the consumer's default modes the ring reclaims the space when
     * the handler (or {@code onNext}) returns and this method does nothing; Reactor's manual-release mode needs it
     * called exactly once per record.
     */
    public void release() {
    }

    /**
     * Throws unless this view is readable.
     *
     * @throws IllegalStateException if the view was released
     */
    protected final void checkReadable() {
        if (position < 0) {
            throw new IllegalStateException("record used after release: a Record is a view into the ring, valid only "
                    + "until the consumer moves past it; call copy() to keep it");
        }
    }

    /** The buffer index of payload byte {@code index}, after the readability and bounds checks. */
    private int checkIndex(int index, int size) {
        checkReadable();
        final RecordMemory memory = this.memory;
        final int headerOffset = (int) (position & memory.mask);
        final int length = lengthOf(memory, position);
        if (index < 0 || size < 0 || index > length - size) {
            throw new IndexOutOfBoundsException("index " + index + " with size " + size
                    + " is outside the record's payload of length " + length);
        }
        return headerOffset + RingLayout.HEADER_LENGTH + index;
    }

    @Override
    public String toString() {
        return isReadable() ? getClass().getSimpleName() + "[position=" + position + ", length=" + length() + "]"
                : getClass().getSimpleName() + "[released]";
    }
}
