/**
 * ringbuf without Reactor: {@link dev.ringbuf.samples.plain.PlainJavaSample} (the smallest program to copy) and
 * {@link dev.ringbuf.samples.plain.ThroughputDemo} (the quick-start demo: records/s and drops/s every second).
 */
@NullMarked
package dev.ringbuf.samples.plain;

import org.jspecify.annotations.NullMarked;
