/**
 * jcstress tests of the races in {@link dev.ringbuf.core.RingBuffer}: concurrent reservations, commit against
 * consume, out-of-order commits, the lost wakeup, close against reserve, and the consumer's zeroing against a
 * producer's write after the ring wraps. Each test names its race in its {@code @Description}, lists every
 * acceptable outcome and forbids the rest. See this module's README for how to run them.
 */
@NullMarked
package dev.ringbuf.jcstress;

import org.jspecify.annotations.NullMarked;
