package dev.ringbuf.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p>Use after release is detected from any thread, seqlock style: every read checks that the view is still bound to
 * the same record after reading the bytes (the consumer invalidates a view before it frees the space), so a read
 * racing the release throws {@link IllegalStateException} and never returns bytes of another record. A
 * {@link #buffer()} handed out earlier is not checked: it is the one accessor confined to the receiving thread.
 *
 * <p>Subclasses are views made by the ring's consumers (this module and {@code ringbuf-reactor}), bound to one
 * record when they are made; users do not extend it. A view is confined to the thread that received it unless the receiver hands it on with a
 * happens-before edge (as Reactor's operators do).
 */
public abstract class Record {

    /** The position of a view that is not (or no longer) bound to a record. Real positions are never negative. */
    private static final long RELEASED = -1;

    private static final VarHandle POSITION;

    static {
        try {
            POSITION = MethodHandles.lookup().findVarHandle(Record.class, "position", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        // Plain: the consumer frees the record's space with a release store after this, which orders it first.
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
        final long at = readablePosition();
        final int length = lengthOf(memory, at);
        revalidate(at);
        return length;
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
        final long at = readablePosition();
        final byte value;
        try {
            value = memory.buffer.get(checkIndex(at, index, Byte.BYTES));
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at); // released meanwhile: the bounds came from another record's bytes
            throw outside;
        }
        revalidate(at);
        return value;
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
        final long at = readablePosition();
        final short value;
        try {
            value = memory.buffer.getShort(checkIndex(at, index, Short.BYTES));
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at); // released meanwhile: the bounds came from another record's bytes
            throw outside;
        }
        revalidate(at);
        return value;
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
        final long at = readablePosition();
        final int value;
        try {
            value = memory.buffer.getInt(checkIndex(at, index, Integer.BYTES));
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at); // released meanwhile: the bounds came from another record's bytes
            throw outside;
        }
        revalidate(at);
        return value;
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
        final long at = readablePosition();
        final long value;
        try {
            value = memory.buffer.getLong(checkIndex(at, index, Long.BYTES));
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at); // released meanwhile: the bounds came from another record's bytes
            throw outside;
        }
        revalidate(at);
        return value;
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
        final long at = readablePosition();
        try {
            memory.buffer.get(checkIndex(at, index, count), dst, dstOffset, count);
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at);
            throw outside;
        }
        revalidate(at); // dst may hold another record's bytes if this throws: the caller gets no result
    }

    /**
     * A read-only little-endian view of the payload, from position 0 to limit {@link #length()}. It allocates a
     * small buffer object, and it reads the ring's memory: it is valid only as long as this record is.
     *
     * @return a new read-only buffer over the payload
     * @throws IllegalStateException if the view was released
     */
    public final ByteBuffer buffer() {
        final long at = readablePosition();
        final ByteBuffer slice;
        try {
            slice = memory.buffer.slice((int) (at & memory.mask) + RingLayout.HEADER_LENGTH, lengthOf(memory, at));
        } catch (IndexOutOfBoundsException | IllegalArgumentException outside) {
            revalidate(at);
            throw outside;
        }
        revalidate(at);
        return slice.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies the payload into a new array.
     *
     * @return the payload bytes
     * @throws IllegalStateException if the view was released
     */
    public final byte[] toByteArray() {
        final long at = readablePosition();
        final byte[] bytes;
        try {
            final int offset = (int) (at & memory.mask) + RingLayout.HEADER_LENGTH;
            final int length = lengthOf(memory, at);
            if (length < 0 || length > memory.buffer.capacity() - offset) { // a length read after release
                throw new IndexOutOfBoundsException("record length " + length + " is outside the ring's memory");
            }
            bytes = new byte[length];
            memory.buffer.get(offset, bytes, 0, length);
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at);
            throw outside;
        }
        revalidate(at);
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
        final long at = readablePosition();
        final Record copy;
        try {
            copy = new DetachedRecord(memory, at);
        } catch (IndexOutOfBoundsException outside) {
            revalidate(at);
            throw outside;
        }
        revalidate(at);
        return copy;
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
        readablePosition();
    }

    /** The bound position, read once; throws if released. */
    private long readablePosition() {
        final long at = position;
        if (at < 0) {
            throw usedAfterRelease();
        }
        return at;
    }

    /**
     * The second half of the seqlock read: after reading the record's bytes, checks that the view still points at
     * the same record. The acquire fence keeps the byte reads before the position read; it pairs with the consumer,
     * which invalidates the view before its release store of the consumer position, before any producer reuses the
     * space. If a read saw a producer's new bytes, this read sees the invalidation.
     */
    private void revalidate(long at) {
        VarHandle.acquireFence();
        if ((long) POSITION.getOpaque(this) != at) {
            throw usedAfterRelease();
        }
    }

    private static IllegalStateException usedAfterRelease() {
        return new IllegalStateException("record used after release: a Record is a view into the ring, valid only "
                + "until the consumer moves past it; call copy() to keep it");
    }

    /** The buffer index of payload byte {@code index} of the record at {@code at}, after the bounds check. */
    private int checkIndex(long at, int index, int size) {
        final RecordMemory memory = this.memory;
        final int headerOffset = (int) (at & memory.mask);
        final int length = lengthOf(memory, at);
        if (index < 0 || size < 0 || index > length - size) {
            revalidate(at); // a length read after release says nothing about the caller's index
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
