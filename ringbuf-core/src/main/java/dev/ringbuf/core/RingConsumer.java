package dev.ringbuf.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The consumer's side of a ring: one consumer at a time receives the committed records in reservation order and
 * frees their space. {@link RingBuffer} implements it.
 *
 * <pre>{@code
 * RingConsumer consumer = ring;
 * while (running) {
 *     consumer.consume(record -> handle(record));
 *     consumer.awaitData(Duration.ofMillis(100));
 * }
 * }</pre>
 */
public interface RingConsumer {

    /**
     * Delivers every record committed now, in reservation order, and frees their space.
     *
     * @param handler receives each record, on this thread
     * @return the number of records delivered (discarded records are skipped and not counted)
     * @throws IllegalStateException if another consumer is active
     * @throws RuntimeException whatever the handler threw: that record counts as consumed, nothing else is lost
     */
    int consume(RecordHandler handler);

    /**
     * Delivers at most {@code limit} committed records, in reservation order, and frees their space (libbpf's
     * {@code ring_buffer__consume_n}).
     *
     * @param handler receives each record, on this thread
     * @param limit the most records to deliver, positive
     * @return the number of records delivered
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active
     */
    int consume(RecordHandler handler, int limit);

    /**
     * Like {@link #consume(RecordHandler, int)}, with a handler that can end the batch early without throwing.
     *
     * @param handler receives each record and says whether to go on
     * @param limit the most records to deliver, positive
     * @return the number of records delivered (an {@link ControlledRecordHandler.Action#ABORT aborted} one is not)
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active
     */
    int controlledConsume(ControlledRecordHandler handler, int limit);

    /**
     * Delivers at most {@code limit} committed records after the {@link RingBuffer#readPosition() read position} without
     * freeing their space, for consumers that keep records beyond the handler call (Reactor's manual release). The
     * handler's view is still invalid after it returns; the consumer frees the space later with
     * {@link #releaseTo(long)}.
     *
     * @param handler receives each record, on this thread
     * @param limit the most records to deliver, positive
     * @return the number of records delivered
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active
     */
    int read(RecordHandler handler, int limit);

    /**
     * {@link #read(RecordHandler, int)} with a handler that can end the batch early without throwing.
     *
     * @param handler receives each record and says whether to go on
     * @param limit the most records to deliver, positive
     * @return the number of records delivered
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active
     */
    int controlledRead(ControlledRecordHandler handler, int limit);

    /**
     * Frees the space of records already {@link #read read}: the consumer position becomes {@code position}.
     *
     * @param position a record boundary between the consumer position and the read position
     * @throws IllegalArgumentException if {@code position} is outside that range or not a multiple of 8
     * @throws IllegalStateException if another consumer is active
     */
    void releaseTo(long position);

    /**
     * Moves the read position back to the consumer position: the records read but not yet
     * {@linkplain #releaseTo(long) released} are delivered again by the next {@code read} or {@code consume}, in
     * order. What a consumer that hands over to another one calls, so that nothing it read without releasing is lost
     * (at-least-once). Views of those records must no longer be used by the consumer that read them.
     */
    void rewindRead();

    /**
     * Blocks until a record can be consumed, the timeout elapses, or the ring is closed and drained. Never loses a
     * wakeup: a record committed with {@link Wakeup#DEFAULT} or {@link Wakeup#FORCE} after the consumer caught up
     * ends the wait; records committed with {@link Wakeup#NONE} are seen when something else wakes the consumer or
     * the wait times out. An in-process ring parks; a ring file idles (spin, yield, park up to 1 ms).
     *
     * @param timeout the longest wait; zero or negative: do not wait
     * @return {@code true} if a committed (or discarded) record is ready at the read position, {@code false} on
     *     timeout or when the ring is closed and every reserved record has been read
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if another consumer is active
     */
    boolean awaitData(Duration timeout) throws InterruptedException;

    /**
     * Whether the record at the read position is committed or discarded, so that the next consume makes progress.
     *
     * @return {@code true} if the consumer has something to do
     */
    boolean isRecordReady();

    /**
     * Plugs a listener into the ring's wakeups (at most one; the Reactor drain is one). It runs on producer threads,
     * or, for a ring file, on a watcher thread that turns other processes' wakeups into calls.
     *
     * @param listener the listener, or {@code null} to remove the current one
     * @return the previous listener, or {@code null}
     */
    @Nullable WakeupListener setWakeupListener(@Nullable WakeupListener listener);
}
