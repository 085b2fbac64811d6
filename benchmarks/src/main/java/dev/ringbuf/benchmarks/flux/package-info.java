/**
 * The Flux workloads' sources: ringbuf's {@code RingBufferFlux}, Reactor's sinks and {@code Flux.create}, and Agrona
 * drained by a hand-written Subscription.
 */
@NullMarked
package dev.ringbuf.benchmarks.flux;

import org.jspecify.annotations.NullMarked;
