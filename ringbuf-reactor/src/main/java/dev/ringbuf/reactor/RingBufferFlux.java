package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * A ring as a Reactor {@link Flux}: downstream demand drives consumption, the ring's wakeups schedule the drain.
 *
 * <pre>{@code
 * RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 20).build();
 *
 * Flux<Record> records = RingBufferFlux.records(ring);                // zero-copy views, valid during onNext
 * Flux<Event> events = RingBufferFlux.decode(ring, Event::decode);    // decoder reads the ring's memory
 * Flux<Record> tuned = RingBufferFlux.builder(ring)
 *         .scheduler(Schedulers.boundedElastic())
 *         .pollInterval(Duration.ofMillis(50))
 *         .records();
 * }</pre>
 *
 * <p>Every Flux made here has the same contract:
 * <ul>
 *   <li><b>Demand drives consumption.</b> The consumer position advances only for records delivered against
 *   {@code request(n)}. Without demand the ring fills, and producers' reservations fail and are counted with reason
 *   {@code full}: the overflow policy is "drop newest", as in the kernel.</li>
 *   <li><b>Threads.</b> Records are consumed and emitted on a worker of the {@linkplain
 *   RingBufferFluxBuilder#scheduler(reactor.core.scheduler.Scheduler) scheduler} ({@code Schedulers.parallel()} by
 *   default), never on a producer's thread.</li>
 *   <li><b>Wakeups.</b> A {@code Wakeup.DEFAULT} commit schedules the drain when the consumer had caught up,
 *   {@code FORCE} always, {@code NONE} never: the {@linkplain RingBufferFluxBuilder#pollInterval poll interval}
 *   timer (100 ms by default) picks those up. No wakeup is lost.</li>
 *   <li><b>One subscriber at a time per ring.</b> A subscriber that arrives while the previous one is still
 *   cancelling (Reactor's cancellation is asynchronous) queues behind it and takes over when it lets go, resuming at
 *   the consumer position: nothing committed is lost or delivered twice ({@code take(n).repeat()} works). Only a
 *   subscriber that is still live after the {@linkplain RingBufferFluxBuilder#handOverTimeout hand-over timeout}
 *   makes the newcomer fail with {@code onError(IllegalStateException)}. To fan out, use {@link RingFanOut}: each
 *   subscriber gets its own bounded buffer that drops (and counts) its own newest items; a plain
 *   {@code publish()}/{@code share()} runs at the slowest subscriber's pace, so one slow subscriber would fill the
 *   ring for all (see docs/reactor.md).</li>
 *   <li><b>End.</b> After {@code ring.close()} the committed records are delivered, then {@code onComplete}. An
 *   exception from the decoder or from downstream's {@code onNext} becomes {@code onError}; that record counts as
 *   consumed, nothing else is lost.</li>
 * </ul>
 */
public final class RingBufferFlux {

    private RingBufferFlux() {
    }

    /**
     * The ring's committed records as zero-copy views, with the default settings. Each {@code onNext} gets its own
     * small view object, released when {@code onNext} returns: using it afterwards throws
     * {@link IllegalStateException}. Call {@link Record#copy()} before an asynchronous boundary, or use
     * {@link RingBufferFluxBuilder#manualRelease(int) manual release}.
     *
     * <pre>{@code
     * RingBufferFlux.records(ring)
     *         .map(record -> record.getLong(0))      // read during onNext: fine
     *         .subscribe(seq -> log.info("seq {}", seq));
     * }</pre>
     *
     * @param ring the ring to consume
     * @return a cold, single-subscriber-at-a-time Flux of records
     * @throws NullPointerException if {@code ring} is null
     */
    public static Flux<Record> records(RingBuffer ring) {
        return builder(ring).records();
    }

    /**
     * The ring's committed records, each decoded into a {@code T} by {@code decoder} in the drain loop, reading the
     * ring's memory directly. The decoder gets a view that is valid only while it runs and must not keep it.
     *
     * <pre>{@code
     * Flux<Event> events = RingBufferFlux.decode(ring, r -> new Event(r.getLong(0), r.getInt(8)));
     * }</pre>
     *
     * @param ring the ring to consume
     * @param decoder turns a record into a value; must not return {@code null}
     * @param <T> the decoded type
     * @return a cold, single-subscriber-at-a-time Flux of decoded values
     * @throws NullPointerException if an argument is null
     */
    public static <T> Flux<T> decode(RingBuffer ring, Function<? super Record, ? extends T> decoder) {
        return builder(ring).decode(decoder);
    }

    /**
     * A builder to tune the scheduler, poll interval, batch size, metrics and release mode.
     *
     * <pre>{@code
     * Flux<Record> records = RingBufferFlux.builder(ring)
     *         .pollInterval(Duration.ZERO)            // no timer: rely on DEFAULT/FORCE wakeups only
     *         .batchSize(64)
     *         .metrics(registry)                      // ringbuf.subscriber.demand while subscribed
     *         .manualRelease(1024)                    // records stay valid until record.release()
     *         .records();
     * }</pre>
     *
     * @param ring the ring to consume
     * @return a new builder with the defaults
     * @throws NullPointerException if {@code ring} is null
     */
    public static RingBufferFluxBuilder builder(RingBuffer ring) {
        return new RingBufferFluxBuilder(ring);
    }
}
