/**
 * The ring as a Project Reactor {@code Flux} whose downstream demand drives consumption, and the ring's counters as
 * Micrometer meters.
 *
 * <pre>{@code
 * Flux<Event> events = RingBufferFlux.decode(ring, Event::decode);      // decoder runs on the ring's memory
 * Flux<Record> records = RingBufferFlux.builder(ring)
 *         .pollInterval(Duration.ofMillis(50))                           // picks up Wakeup.NONE commits
 *         .records();                                                    // zero-copy views, valid during onNext
 * new RingBufferMetrics(ring).bindTo(registry);                          // ringbuf.records.dropped{reason=full}, ...
 * Mono<Void> sent = RingBufferSender.create(ring).send(events, encoder); // a Flux into the ring
 * }</pre>
 *
 * <p>{@link dev.ringbuf.reactor.RingBufferFlux} is the entry point, {@link dev.ringbuf.reactor.RingBufferFluxBuilder}
 * tunes the drain, {@link dev.ringbuf.reactor.RingGroupFlux} drains a {@link dev.ringbuf.core.RingGroup} of rings
 * as one Flux, {@link dev.ringbuf.reactor.RingBufferMetrics} binds the meters. The other direction:
 * {@link dev.ringbuf.reactor.RingBufferSender} writes a {@code Publisher} into a ring,
 * {@link dev.ringbuf.reactor.RingEmitter} serves imperative code; {@link dev.ringbuf.reactor.RingFanOut} gives one
 * ring many subscribers. See {@code docs/reactor.md} and
 * {@code docs/metrics.md}.
 */
@NullMarked
package dev.ringbuf.reactor;

import org.jspecify.annotations.NullMarked;
