/**
 * The suite runner behind {@code benchmarks/run.sh}: runs every workload with its peers through the JMH API and
 * writes {@code docs/benchmarks.md}.
 */
package dev.ringbuf.benchmarks.suite;
