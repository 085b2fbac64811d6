package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.HEADER_LENGTH;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Space reserved in a {@link RingBuffer} for one record: write the payload in place with absolute little-endian
 * puts, then {@link #commit()} or {@link #discard()} it exactly once. {@link #close()} discards a reservation that
 * was neither, so try-with-resources keeps a producer that throws from blocking the ring:
 *
 * <pre>{@code
 * try (Reservation r = ring.reserve(12)) {
 *     if (r != null) {
 *         r.putLong(0, seq).putInt(8, pid);
 *         r.commit();
 *     }
 * }
 * }</pre>
 *
 * <p>Until it is committed or discarded the record is busy, and the consumer waits at it (records are delivered in
 * reservation order), so hold a reservation briefly. A reservation belongs to the thread that made it. In a ring file
 * the consumer abandons a record that stays busy for the stall timeout; then the reservation's next write, commit or
 * discard throws {@link IllegalStateException} saying so, and nothing more is written.
 *
 * <p><b>Reuse: {@code reserve} allocates nothing when you close what you reserve.</b> Each thread keeps a few
 * reservation objects of its own (four, shared by every ring the thread writes to) and {@code reserve} re-arms one
 * that was <em>closed</em>: {@link #close()} is the holder's statement that its reference is dead, which the end of a
 * try-with-resources block makes (and the compiler scopes the variable to that block). So the rules are:
 * <ul>
 *   <li>A reference is valid from {@code reserve} until its {@code commit}, {@code discard} or {@code close}. Any
 *       use after that throws {@link IllegalStateException} as long as the reference's holder did not close it:
 *       a reservation that was committed or discarded but not closed is never re-armed, so a stale double commit of
 *       it is always detected (that reservation costs one small object, 40 bytes, instead of none).</li>
 *   <li>try-with-resources (the pattern above) allocates nothing: {@code close()} discards a reservation that is
 *       still live, does nothing else to a finished one, and hands the object back to the thread's pool. Do not keep
 *       a copy of the reference past the block: from the thread's next reservations on, the object stands for a
 *       newer one.</li>
 *   <li>Nested reservations on one thread (reserve A, reserve B, commit B, commit A) are independent objects.</li>
 *   <li>A reservation may be finished (and closed) on another thread if it is handed over with a happens-before
 *       edge (a queue, a lock); the reserving thread reuses the object only once it was closed there.</li>
 * </ul>
 */
public final class Reservation implements AutoCloseable {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(Reservation.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The ring's producer half while live; null once finished, so a thread's spare objects retain no ring. */
    private ProducerPath producers;
    private ByteBuffer memory;
    private long position;
    private int offset;
    private int length;
    /** Ring files: each write first checks that the consumer has not abandoned the record. */
    private boolean checked;
    /**
     * Ring files: why the record was lost (the consumer abandoned it), once a write found out; else null. A lost
     * reservation is never re-armed: a stalled producer's reference keeps saying what happened, for good.
     */
    private String lost;
    /** Plain: the holder's checks. */
    private boolean live;
    /**
     * Closed by its holder, so no live reference to this object remains and the pool may re-arm it: released in
     * {@link #close()}, acquired by {@link ReservationPool} before a re-arm. Only closed objects are reused, so a stale
     * reference to a reservation that was committed without being closed keeps throwing for good.
     */
    @SuppressWarnings("unused") // read and written through RELEASED
    private boolean released;
    /** In a thread's {@link ReservationPool}; an object from outside joins the closing thread's pool on close. */
    boolean pooled;

    /** A new object, free to be armed (its pool is the only holder). */
    Reservation() {
        this.released = true;
    }

    /** Arms this (finished or new) object for a record just claimed by the current thread. */
    Reservation arm(ProducerPath producers, ByteBuffer memory, long position, int offset, int length) {
        this.producers = producers;
        this.memory = memory;
        this.position = position;
        this.offset = offset;
        this.length = length;
        this.checked = producers.checksReservations();
        this.live = true;
        RELEASED.set(this, false); // plain: the pool's acquire of the old value came first, in this same thread
        return this;
    }

    /** Whether the pool may re-arm this object: its holder closed it, on this thread or on another one. */
    boolean isReusable() {
        // Acquire pairs with the release in close(): the closing thread's reads of our fields (its commit's included)
        // come before our re-arm's writes, so a reservation finished on another thread never publishes a re-armed
        // header.
        return (boolean) RELEASED.getAcquire(this) && lost == null;
    }

    /**
     * The record's position in the ring (of its header).
     *
     * @return the position
     */
    public long position() {
        return position;
    }

    /**
     * Index of the payload's first byte in {@link RingBuffer#buffer()}.
     *
     * @return the payload offset
     */
    public int offset() {
        return offset;
    }

    /**
     * Payload bytes reserved.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Whether the reservation is neither committed nor discarded yet.
     *
     * @return {@code true} while it may be written, committed or discarded
     */
    public boolean isLive() {
        return live;
    }

    /**
     * Writes one byte.
     *
     * @param index byte index in the payload
     * @param value the byte
     * @return this reservation
     * @throws IndexOutOfBoundsException if {@code index} is outside the payload
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public Reservation putByte(int index, byte value) {
        memory.put(checkIndex(index, Byte.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian short.
     *
     * @param index byte index in the payload
     * @param value the value
     * @return this reservation
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the payload
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public Reservation putShort(int index, short value) {
        memory.putShort(checkIndex(index, Short.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian int.
     *
     * @param index byte index in the payload
     * @param value the value
     * @return this reservation
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the payload
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public Reservation putInt(int index, int value) {
        memory.putInt(checkIndex(index, Integer.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian long.
     *
     * @param index byte index in the payload
     * @param value the value
     * @return this reservation
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the payload
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public Reservation putLong(int index, long value) {
        memory.putLong(checkIndex(index, Long.BYTES), value);
        return this;
    }

    /**
     * Copies bytes into the payload.
     *
     * @param index first payload byte written
     * @param src the bytes
     * @param srcOffset first byte of {@code src}
     * @param count number of bytes
     * @return this reservation
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public Reservation putBytes(int index, byte[] src, int srcOffset, int count) {
        Objects.requireNonNull(src, "src must not be null");
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        memory.put(checkIndex(index, count), src, srcOffset, count);
        return this;
    }

    /**
     * Copies the remaining bytes of {@code src} into the payload; the position of {@code src} is unchanged.
     *
     * @param index first payload byte written
     * @param src the bytes, from its position to its limit
     * @return this reservation
     * @throws IndexOutOfBoundsException if the bytes do not fit at {@code index}
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public Reservation putBytes(int index, ByteBuffer src) {
        Objects.requireNonNull(src, "src must not be null");
        final int count = src.remaining();
        memory.put(checkIndex(index, count), src, src.position(), count);
        return this;
    }

    /**
     * A little-endian view of exactly the payload, for bulk writes (position 0, limit {@link #length()}). It
     * allocates a small buffer object; it must not be used after the reservation is committed or discarded.
     *
     * @return a new buffer over the payload
     * @throws IllegalStateException if the reservation was committed or discarded
     */
    public ByteBuffer buffer() {
        checkLive();
        return memory.slice(offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Commits the record with the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @throws IllegalStateException if it was already committed or discarded
     */
    public void commit() {
        commit(Wakeup.DEFAULT);
    }

    /**
     * Commits the record: the consumer delivers it once every record reserved before it is committed or discarded.
     *
     * @param wakeup whether to wake the consumer
     * @throws IllegalStateException if it was already committed or discarded
     */
    public void commit(Wakeup wakeup) {
        end(STATE_COMMITTED, wakeup);
    }

    /**
     * Discards the record with the {@link Wakeup#DEFAULT DEFAULT} wakeup: it is never delivered.
     *
     * @throws IllegalStateException if it was already committed or discarded
     */
    public void discard() {
        discard(Wakeup.DEFAULT);
    }

    /**
     * Discards the record: it keeps its bytes until the consumer passes it, and is never delivered.
     *
     * @param wakeup whether to wake the consumer
     * @throws IllegalStateException if it was already committed or discarded
     */
    public void discard(Wakeup wakeup) {
        end(STATE_DISCARDED, wakeup);
    }

    /**
     * Discards the record if it is still live, and hands the object back to the thread's pool: the reference must not
     * be used again (the end of a try-with-resources block). A reservation finished but never closed is never reused,
     * so that a stale reference to it is always detected.
     */
    @Override
    public void close() {
        try {
            if (live) {
                discard(Wakeup.DEFAULT);
            }
        } finally {
            // Release after every read of our fields above (the discard's included): the pool acquires it before it
            // re-arms the object.
            RELEASED.setRelease(this, true);
            if (!pooled) {
                pooled = true;
                ReservationPool.current().adopt(this);
            }
        }
    }

    private void end(int state, Wakeup wakeup) {
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        checkLive();
        final ProducerPath producers = this.producers;
        final int headerOffset = offset - HEADER_LENGTH;
        final long header = producers.finishedHeader(position, state, length);
        this.producers = null;
        this.memory = null;
        this.live = false; // plain: the object is re-armed only after close() (released), which comes after this
        producers.publish(headerOffset, header, wakeup);
    }

    private void checkLive() {
        if (!live) {
            if (lost != null) {
                throw new IllegalStateException(lost);
            }
            throw new IllegalStateException("reservation at position " + position
                    + " was already committed or discarded: each reservation is finished exactly once");
        }
        if (checked) {
            try {
                producers.checkReserved(position, length);
            } catch (IllegalStateException abandoned) {
                lost = abandoned.getMessage(); // retires the object: the pool never re-arms it
                producers = null;
                memory = null;
                live = false; // the record is no longer ours: close() must not discard it
                throw abandoned;
            }
        }
    }

    private int checkIndex(int index, int size) {
        checkLive();
        if (index < 0 || size < 0 || index > length - size) {
            throw new IndexOutOfBoundsException("index " + index + " with size " + size
                    + " is outside the reservation's payload of length " + length);
        }
        return offset + index;
    }

    @Override
    public String toString() {
        return "Reservation[position=" + position + ", length=" + length + (live ? "" : ", finished") + "]";
    }
}
