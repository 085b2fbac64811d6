/**
 * ringbuf, a bare ceiling ring, and the peers (Agrona, the LMAX Disruptor, JCTools) as
 * {@link dev.ringbuf.benchmarks.harness.Transport}s, by the names of the benchmarks' {@code impl} parameter.
 */
@NullMarked
package dev.ringbuf.benchmarks.transports;

import org.jspecify.annotations.NullMarked;
