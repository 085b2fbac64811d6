package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.util.Objects;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Writes a {@link Publisher} into a ring: the other direction of {@link RingBufferFlux}, in the shape of
 * {@code KafkaSender.send} and reactor-rabbitmq's {@code Sender.send}. The sender owns the loop a hand-written
 * subscriber would need: it requests only what it can queue, encodes each element in place into its reservation,
 * and applies an explicit {@link OverflowPolicy} when the ring is full.
 *
 * <pre>{@code
 * RingBufferSender sender = RingBufferSender.create(ring)
 *         .overflow(OverflowPolicy.BACKPRESSURE);               // wait for room: nothing dropped
 * Mono<Void> done = sender.send(events, RecordEncoder.of(e -> 12,
 *         (e, buffer, offset) -> buffer.putLong(offset, e.seq()).putInt(offset + 8, e.pid())));
 *
 * Flux<SendResult<Event>> results = RingBufferSender.create(ring)
 *         .overflow(OverflowPolicy.DROP_NEWEST)                // never slow the source down
 *         .sendAndReport(events, encoder);                    // one result per element, in order
 * }</pre>
 *
 * <p>Guarantees: elements are written in the source's order (one send; concurrent sends interleave); with
 * BACKPRESSURE none is lost while the ring is open; with DROP_NEWEST each lost element is counted once on the ring
 * ({@code droppedRecords(FULL)}). A closed ring ends the send with {@code onError(IllegalStateException)} and cancels
 * the source (the element that met the closed ring is counted with reason {@code closed}). An encoder that throws
 * ends the send with that error. Cancelling the returned Mono cancels the source.
 *
 * <p>Immutable settings, each call returns a new sender: share one freely.
 */
public final class RingBufferSender {

    /** The default {@link #prefetch(int) prefetch}: 256 elements. */
    public static final int DEFAULT_PREFETCH = 256;

    private final RingBuffer ring;
    private final OverflowPolicy policy;
    private final Wakeup wakeup;
    private final int prefetch;
    private final Scheduler scheduler;

    private RingBufferSender(RingBuffer ring, OverflowPolicy policy, Wakeup wakeup, int prefetch,
            Scheduler scheduler) {
        this.ring = ring;
        this.policy = policy;
        this.wakeup = wakeup;
        this.prefetch = prefetch;
        this.scheduler = scheduler;
    }

    /**
     * A sender into {@code ring} with the defaults: {@link OverflowPolicy#BACKPRESSURE}, {@link Wakeup#DEFAULT}
     * commits, prefetch {@value #DEFAULT_PREFETCH}, resumes on {@code Schedulers.parallel()}.
     *
     * @param ring the ring to write into
     * @return the sender
     * @throws NullPointerException if {@code ring} is null
     */
    public static RingBufferSender create(RingBuffer ring) {
        return new RingBufferSender(Objects.requireNonNull(ring, "ring must not be null"), OverflowPolicy.BACKPRESSURE,
                Wakeup.DEFAULT, DEFAULT_PREFETCH, null);
    }

    /**
     * What to do when the ring is full.
     *
     * @param policy the policy
     * @return a sender with that policy
     * @throws NullPointerException if {@code policy} is null
     * @throws IllegalArgumentException if {@code policy} is {@link OverflowPolicy#OVERWRITE_OLDEST} and the ring does
     *     not overwrite
     */
    public RingBufferSender overflow(OverflowPolicy policy) {
        Objects.requireNonNull(policy, "policy must not be null");
        if (policy == OverflowPolicy.OVERWRITE_OLDEST && !ring.isOverwrite()) {
            throw new IllegalArgumentException("overflow policy OVERWRITE_OLDEST needs an overwrite ring, and ring '"
                    + ring.name() + "' was built without overwrite(true): use BACKPRESSURE or DROP_NEWEST");
        }
        return new RingBufferSender(ring, policy, wakeup, prefetch, scheduler);
    }

    /**
     * The wakeup each commit uses ({@link Wakeup#DEFAULT} by default: the consumer is woken only when it had caught
     * up, which is what keeps a fast sender cheap).
     *
     * @param wakeup the wakeup
     * @return a sender with that wakeup
     * @throws NullPointerException if {@code wakeup} is null
     */
    public RingBufferSender wakeup(Wakeup wakeup) {
        return new RingBufferSender(ring, policy, Objects.requireNonNull(wakeup, "wakeup must not be null"), prefetch,
                scheduler);
    }

    /**
     * How many elements the sender requests ahead of the ring (and queues while the ring is full), replenished at
     * 75%, as Reactor's {@code publishOn} does.
     *
     * @param prefetch a positive number of elements
     * @return a sender with that prefetch
     * @throws IllegalArgumentException if {@code prefetch} is not positive
     */
    public RingBufferSender prefetch(int prefetch) {
        if (prefetch <= 0) {
            throw new IllegalArgumentException("prefetch " + prefetch + " must be positive");
        }
        return new RingBufferSender(ring, policy, wakeup, prefetch, scheduler);
    }

    /**
     * Where a sender resumes after waiting for room ({@code Schedulers.parallel()} by default, looked up per send so
     * that virtual time replaces it). Elements are otherwise written on the source's thread.
     *
     * @param scheduler the scheduler
     * @return a sender with that scheduler
     * @throws NullPointerException if {@code scheduler} is null
     */
    public RingBufferSender scheduler(Scheduler scheduler) {
        return new RingBufferSender(ring, policy, wakeup, prefetch,
                Objects.requireNonNull(scheduler, "scheduler must not be null"));
    }

    /**
     * Writes every element of {@code source} into the ring.
     *
     * @param source the elements
     * @param encoder writes one element in place
     * @param <T> the element type
     * @return a Mono that completes when the source completed and every element was written or dropped, and errors
     *     if the source errors, the encoder throws, or the ring is closed
     * @throws NullPointerException if an argument is null
     */
    public <T> Mono<Void> send(Publisher<? extends T> source, RecordEncoder<? super T> encoder) {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        return Mono.create(sink -> {
            final SendSubscriber<T> subscriber = subscriber(encoder, new MonoOutcome<>(sink));
            sink.onCancel(subscriber::cancel);
            source.subscribe(subscriber);
        });
    }

    /**
     * Writes every element of {@code source} into the ring and reports each one, in order: written, or dropped with
     * its reason (the element is the correlation metadata). Results that downstream does not request yet are
     * buffered (at most what the sender has in flight per request round, plus drops).
     *
     * @param source the elements
     * @param encoder writes one element in place
     * @param <T> the element type
     * @return the results; ends as {@link #send} does
     * @throws NullPointerException if an argument is null
     */
    public <T> Flux<SendResult<T>> sendAndReport(Publisher<? extends T> source, RecordEncoder<? super T> encoder) {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        return Flux.create(sink -> {
            final SendSubscriber<T> subscriber = subscriber(encoder, new FluxOutcome<>(sink));
            sink.onCancel(subscriber::cancel);
            source.subscribe(subscriber);
        });
    }

    /** The subscriber of one send (package-private: the TCK verifies it directly). */
    <T> SendSubscriber<T> subscriber(RecordEncoder<? super T> encoder, SendSubscriber.Outcome<T> outcome) {
        final Scheduler resumeOn = scheduler != null ? scheduler : Schedulers.parallel();
        return new SendSubscriber<>(new RingWriter<>(ring, encoder, wakeup), policy, outcome, resumeOn, prefetch);
    }

    @Override
    public String toString() {
        return "RingBufferSender[ring=" + ring.name() + ", overflow=" + policy + ", wakeup=" + wakeup
                + ", prefetch=" + prefetch + "]";
    }

    /** {@link #send}'s outcome: only the end matters. */
    private static final class MonoOutcome<T> implements SendSubscriber.Outcome<T> {
        private final MonoSink<Void> sink;

        MonoOutcome(MonoSink<Void> sink) {
            this.sink = sink;
        }

        @Override
        public void written(T value) {
        }

        @Override
        public void dropped(T value, DropReason reason) {
        }

        @Override
        public void complete() {
            sink.success();
        }

        @Override
        public void error(Throwable error) {
            sink.error(error);
        }

        @Override
        public Context context() {
            return Context.of(sink.contextView());
        }
    }

    /** {@link #sendAndReport}'s outcome: one result per element. */
    private static final class FluxOutcome<T> implements SendSubscriber.Outcome<T> {
        private final FluxSink<SendResult<T>> sink;

        FluxOutcome(FluxSink<SendResult<T>> sink) {
            this.sink = sink;
        }

        @Override
        public void written(T value) {
            sink.next(SendResult.written(value));
        }

        @Override
        public void dropped(T value, DropReason reason) {
            sink.next(SendResult.dropped(value, reason));
        }

        @Override
        public void complete() {
            sink.complete();
        }

        @Override
        public void error(Throwable error) {
            sink.error(error);
        }

        @Override
        public Context context() {
            return Context.of(sink.contextView());
        }
    }
}
