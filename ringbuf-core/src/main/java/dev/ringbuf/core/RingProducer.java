package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The producers' side of a ring: reserve, write in place, commit or discard (zero copy), or output a copy. Every
 * method is thread-safe and lock-free. {@link RingBuffer} implements it; so can a test double or a decorator.
 *
 * <pre>{@code
 * RingProducer producer = ring;                 // what producer code needs, nothing more
 * try (Reservation r = producer.reserve(12)) {  // null when the ring is full or closed: that drop is counted
 *     if (r != null) {
 *         r.putLong(0, seq).putInt(8, pid);
 *         r.commit();
 *     }
 * }
 * }</pre>
 */
public interface RingProducer {

    /**
     * Reserves space for a record of {@code size} payload bytes, to be written in place and then committed or
     * discarded. Use it with try-with-resources, so that a producer that throws before committing discards its
     * reservation instead of blocking the ring.
     *
     * @param size payload bytes, 0 to {@link #maxRecordSize()}
     * @return the reservation, or {@code null} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxRecordSize()} (counted as a
     *     drop with reason {@code oversize})
     */
    @Nullable Reservation reserve(int size);

    /**
     * Reserves space for a record, waiting up to {@code timeout} for the consumer to free enough of it when the ring
     * is full (libbpf's {@code user_ring_buffer__reserve_blocking}). The thread parks (never spins, never holds a
     * monitor, so a virtual thread does not pin its carrier) in the ring's one queue of waiting producers (threads and
     * {@link #spaceWaiter async waiters} alike), and is woken in turn, first come first served, once the space the
     * consumer freed can serve it and the waiters ahead of it; or by the end of the stream, or an interrupt. While a
     * producer waits, space the consumer frees goes to waiting producers first: a non-waiting {@link #reserve(int)}
     * that needs it fails as {@code full} ({@code docs/semantics.md}).
     * The record counts as dropped once, when it is given up: one {@code full} drop on timeout or interrupt, one
     * {@code closed} drop when the stream ends; the retries are not drops.
     *
     * <pre>{@code
     * try (Reservation r = ring.reserve(64, Duration.ofMillis(50))) {
     *     if (r != null) {
     *         r.putLong(0, seq);
     *         r.commit();
     *     }
     * }
     * }</pre>
     *
     * @param size payload bytes, 0 to {@link #maxRecordSize()}
     * @param timeout the longest wait; zero or negative: do not wait (as {@link #reserve(int)})
     * @return the reservation, or {@code null} when given up (timed out, or the ring closed)
     * @throws InterruptedException if the thread is interrupted while waiting (the record counts as a full drop)
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxRecordSize()}
     */
    @Nullable Reservation reserve(int size, Duration timeout) throws InterruptedException;

    /**
     * Reserves space without allocating: the zero-allocation path for hot producers. Write the payload into
     * {@link #buffer()} at the returned offset, then {@link #commit(int)} or {@link #discard(int)} it exactly once.
     *
     * <pre>{@code
     * ByteBuffer buffer = ring.buffer();     // once per producer: absolute accessors only
     * int offset = ring.claim(16);
     * if (offset != RingBuffer.CLAIM_FAILED) {
     *     buffer.putLong(offset, seq).putLong(offset + 8, nanos);
     *     ring.commit(offset);
     * }
     * }</pre>
     *
     * @param size payload bytes, 0 to {@link #maxRecordSize()}
     * @return the payload's offset in {@link #buffer()}, or {@link RingBuffer#CLAIM_FAILED} when full or closed (counted)
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxRecordSize()}
     */
    int claim(int size);

    /**
     * {@link #claim(int)} that tells why it failed, so that a producer retrying while the ring is full stops once
     * the ring is closed, without a second call (which would race with {@code close()}).
     *
     * <pre>{@code
     * int offset = ring.tryClaim(16);
     * if (offset >= 0) {
     *     buffer.putLong(offset, seq);
     *     ring.commit(offset);
     * } else if (offset == RingBuffer.CLAIM_CLOSED) {
     *     return;                                     // give up for good
     * } // else RingBuffer.CLAIM_FULL: wait in turn (spaceWaiter), or give up: countDrop(DropReason.FULL)
     * }</pre>
     *
     * <p>Unlike {@code claim}, a failure is not counted as a drop: the caller may still retry, and a record that is
     * written in the end was never lost. A caller that gives up on the record calls {@link #countDrop(DropReason)}
     * once, so that the ring's drop counters count lost records, not attempts.
     *
     * @param size payload bytes, 0 to {@link #maxRecordSize()}
     * @return the payload's offset in {@link #buffer()} (non-negative), {@link RingBuffer#CLAIM_FULL} when the ring
     *     has no room, or {@link RingBuffer#CLAIM_CLOSED} when the stream ended or this handle was closed; neither
     *     is counted
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxRecordSize()}
     */
    int tryClaim(int size);

    /**
     * Counts one record lost with {@code reason}: what a producer calls once when it gives up on a record after
     * {@link #tryClaim(int)} failed (the other producer methods count their own failures).
     *
     * @param reason why the record was lost
     * @throws NullPointerException if {@code reason} is null
     */
    void countDrop(DropReason reason);

    /**
     * A place in this ring's queue of producers waiting for space, for a producer that cannot park a thread (a
     * reactive sender, an event loop): the same queue, first-come-first-served rule and exact wake-up as
     * {@link #reserve(int, java.time.Duration)}. {@code onSpace} runs when the waiter's turn comes, on the thread
     * that found out (this process's consumer, or a ring file's watcher thread when the consumer is in another
     * process); it must only hand the news over (schedule, unpark), then the producer calls
     * {@link SpaceWaiter#tryClaim}. See {@link SpaceWaiter}.
     *
     * @param onSpace told, once per wait, that the waiter may claim
     * @return a new waiter, not yet waiting; keep one per producer
     * @throws NullPointerException if {@code onSpace} is null
     */
    SpaceWaiter spaceWaiter(Runnable onSpace);

    /**
     * Commits a claimed record with the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    void commit(int offset);

    /**
     * Commits a claimed record: the consumer delivers it once every record reserved before it is committed or
     * discarded. The offset API cannot tell a live reservation from one committed, consumed and claimed again at the
     * same offset by another producer; {@link Reservation} tracks its own state and always can.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @param wakeup whether to wake the consumer
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    void commit(int offset, Wakeup wakeup);

    /**
     * Discards a claimed record with the {@link Wakeup#DEFAULT DEFAULT} wakeup: never delivered.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    void discard(int offset);

    /**
     * Discards a claimed record: it keeps its bytes until the consumer passes it, and is never delivered.
     *
     * @param offset the offset {@link #claim(int)} returned
     * @param wakeup whether to wake the consumer (a consumer waiting at this record must move past it)
     * @throws IllegalStateException if {@code offset} is not a live reservation
     */
    void discard(int offset, Wakeup wakeup);

    /**
     * Copies {@code src} into the ring as one record and commits it with the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @param src the payload
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    boolean output(byte[] src);

    /**
     * Copies {@code src} into the ring as one record and commits it with the {@link Wakeup#DEFAULT DEFAULT} wakeup,
     * waiting up to {@code timeout} for space as {@link #reserve(int, Duration)} does.
     *
     * @param src the payload
     * @param timeout the longest wait; zero or negative: do not wait
     * @return {@code true} if committed, {@code false} when given up (timed out, or the ring closed; counted once)
     * @throws InterruptedException if the thread is interrupted while waiting (the record counts as a full drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    boolean output(byte[] src, Duration timeout) throws InterruptedException;

    /**
     * Copies {@code src} into the ring as one record and commits it: the kernel's {@code bpf_ringbuf_output}.
     *
     * <pre>{@code
     * for (int i = 0; i < batch.length; i++) {   // one wakeup per batch
     *     ring.output(batch[i], i == batch.length - 1 ? Wakeup.FORCE : Wakeup.NONE);
     * }
     * }</pre>
     *
     * @param src the payload
     * @param wakeup whether to wake the consumer
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    boolean output(byte[] src, Wakeup wakeup);

    /**
     * Copies {@code length} bytes of {@code src} from {@code srcOffset} into the ring as one record and commits it.
     *
     * @param src the bytes
     * @param srcOffset first byte
     * @param length payload length
     * @param wakeup whether to wake the consumer
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalArgumentException if {@code length} is larger than {@link #maxRecordSize()}
     */
    boolean output(byte[] src, int srcOffset, int length, Wakeup wakeup);

    /**
     * Copies the remaining bytes of {@code src} into the ring as one record and commits it with the
     * {@link Wakeup#DEFAULT DEFAULT} wakeup. The position and limit of {@code src} are left unchanged.
     *
     * @param src the payload, from its position to its limit
     * @return {@code true} if committed, {@code false} when the ring is full or closed (counted as a drop)
     * @throws IllegalArgumentException if the payload is larger than {@link #maxRecordSize()}
     */
    boolean output(ByteBuffer src);

    /**
     * A little-endian view of the data area and its tail extension, which the offsets of {@link #claim(int)} and
     * {@link Record#offset()} index. Use absolute accessors only. Each call returns a new view.
     *
     * @return a new view of the ring's memory
     */
    ByteBuffer buffer();

    /**
     * The largest payload a record may have.
     *
     * @return bytes
     */
    int maxRecordSize();
}
