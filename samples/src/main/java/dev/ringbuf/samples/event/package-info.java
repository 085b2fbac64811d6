/**
 * The samples' synthetic workload: an {@link dev.ringbuf.samples.event.Event}, its binary layout in the ring and
 * its JSON form ({@link dev.ringbuf.samples.event.EventCodec}), and producer threads that write events the way real
 * emitters do ({@link dev.ringbuf.samples.event.SyntheticProducers}).
 */
@NullMarked
package dev.ringbuf.samples.event;

import org.jspecify.annotations.NullMarked;
