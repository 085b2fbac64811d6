/**
 * What every implementation shares in the benchmarks: the 32-byte record, the consumer's validation, the idle
 * strategy, and the {@link dev.ringbuf.benchmarks.harness.Transport} each implementation is reduced to.
 */
@NullMarked
package dev.ringbuf.benchmarks.harness;

import org.jspecify.annotations.NullMarked;
