package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Sinks;

/**
 * A thread-safe, bounded, zero-copy entry into a ring for imperative code: what {@code Sinks.many()} serves, minus
 * the unbounded queue and the serialization. Any number of threads (virtual threads included) may call it at once;
 * nothing spins, nothing throws for a full or closed ring: each call returns a {@link Sinks.EmitResult}.
 *
 * <pre>{@code
 * RingEmitter<String> emitter = RingEmitter.create(ring, RecordEncoder.utf8());
 * Sinks.EmitResult result = emitter.tryEmit("hello");          // OK, FAIL_OVERFLOW (full) or FAIL_TERMINATED
 * emitter.emit("fire and forget");                             // a failure is counted as a drop
 * emitter.emit("wait for room", Duration.ofMillis(50));        // parks (never spins) until the consumer frees space
 *
 * Flux<String> out = RingBufferFlux.decode(ring, r -> new String(r.toByteArray(), UTF_8));
 * }</pre>
 *
 * <p>Results: {@code OK} (committed), {@code FAIL_OVERFLOW} (the ring is full), {@code FAIL_TERMINATED} (the ring
 * is closed). Unlike a sink, there is no subscriber to lose: the ring holds the elements until its consumer reads
 * them.
 *
 * @param <T> the element type
 */
public final class RingEmitter<T> {

    private final RingWriter<T> writer;

    private RingEmitter(RingWriter<T> writer) {
        this.writer = writer;
    }

    /**
     * An emitter into {@code ring} whose commits use the {@link Wakeup#DEFAULT DEFAULT} wakeup.
     *
     * @param ring the ring
     * @param encoder writes one element in place
     * @param <T> the element type
     * @return the emitter
     * @throws NullPointerException if an argument is null
     */
    public static <T> RingEmitter<T> create(RingBuffer ring, RecordEncoder<? super T> encoder) {
        return create(ring, encoder, Wakeup.DEFAULT);
    }

    /**
     * An emitter into {@code ring} whose commits use {@code wakeup}.
     *
     * @param ring the ring
     * @param encoder writes one element in place
     * @param wakeup the wakeup of each commit
     * @param <T> the element type
     * @return the emitter
     * @throws NullPointerException if an argument is null
     */
    public static <T> RingEmitter<T> create(RingBuffer ring, RecordEncoder<? super T> encoder, Wakeup wakeup) {
        Objects.requireNonNull(ring, "ring must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        Objects.requireNonNull(wakeup, "wakeup must not be null");
        return new RingEmitter<>(new RingWriter<>(ring, encoder, wakeup));
    }

    /**
     * Writes {@code value} if the ring has room now. A failure is not counted as a drop (the caller may retry); call
     * {@link #emit(Object)} to have it counted.
     *
     * @param value the element
     * @return {@code OK}, {@code FAIL_OVERFLOW} when full, {@code FAIL_TERMINATED} when closed
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the encoded size is outside {@code [0, maxRecordSize]}
     */
    public Sinks.EmitResult tryEmit(T value) {
        Objects.requireNonNull(value, "value must not be null");
        return result(writer.write(value));
    }

    /**
     * Writes {@code value} if the ring has room now, else drops it and counts the drop once on the ring (reason
     * {@code full} or {@code closed}): fire and forget, as a kernel producer does.
     *
     * @param value the element
     * @return what became of it
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the encoded size is outside {@code [0, maxRecordSize]}
     */
    public Sinks.EmitResult emit(T value) {
        final Sinks.EmitResult result = tryEmit(value);
        countIfLost(result);
        return result;
    }

    /**
     * Writes {@code value}, waiting up to {@code timeout} for room: the calling thread stands in the ring's one queue
     * of producers waiting for space ({@link RingBuffer#reserve(int, Duration)}: first come, first served, with
     * senders and every other waiter, and ahead of {@link #tryEmit} callers while it waits), parks (never spins) and
     * is woken when the space the consumer freed can serve it. Safe on virtual threads. A timeout too long for
     * nanoseconds saturates. A value still not written at the deadline is dropped and counted once.
     *
     * @param value the element
     * @param timeout the longest wait; zero or negative: do not wait
     * @return {@code OK}, {@code FAIL_OVERFLOW} after the timeout, {@code FAIL_TERMINATED} when closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the encoded size is outside {@code [0, maxRecordSize]}
     * @throws InterruptedException if the thread is interrupted while waiting (the value is not written; it is
     *     counted as dropped, reason full, as the ring's waiting reserve counts it)
     */
    public Sinks.EmitResult emit(T value, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        final Sinks.EmitResult result = tryEmit(value);
        if (result != Sinks.EmitResult.FAIL_OVERFLOW) {
            return result;
        }
        final RingBuffer ring = writer.ring;
        final int size = writer.sizeOf(value);
        try (Reservation reservation = ring.reserve(size, timeout)) { // counts the drop itself when it gives up
            if (reservation == null) {
                return ring.isClosed() ? Sinks.EmitResult.FAIL_TERMINATED : Sinks.EmitResult.FAIL_OVERFLOW;
            }
            writer.encode(value, reservation);
            return Sinks.EmitResult.OK;
        }
    }

    private void countIfLost(Sinks.EmitResult result) {
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            writer.ring.countDrop(DropReason.FULL);
        } else if (result == Sinks.EmitResult.FAIL_TERMINATED) {
            writer.ring.countDrop(DropReason.CLOSED);
        }
    }

    private static Sinks.EmitResult result(int written) {
        if (written == RingWriter.WRITTEN) {
            return Sinks.EmitResult.OK;
        }
        return written == RingWriter.CLOSED ? Sinks.EmitResult.FAIL_TERMINATED : Sinks.EmitResult.FAIL_OVERFLOW;
    }

    @Override
    public String toString() {
        return "RingEmitter[ring=" + writer.ring.name() + "]";
    }
}
