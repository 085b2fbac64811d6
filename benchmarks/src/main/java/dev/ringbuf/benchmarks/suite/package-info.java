/**
 * The suite runner behind {@code benchmarks/run.sh}: runs every workload with its peers through the JMH API and
 * writes {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.ringbuf.benchmarks.suite;

import org.jspecify.annotations.NullMarked;
