package dev.ringbuf.benchmarks.suite;

import java.util.List;

/**
 * One table of the report: a benchmark method run with a list of implementations.
 *
 * @param key short id, also the name of the raw JSON file
 * @param title the table's heading
 * @param benchmark regex of the JMH benchmark method
 * @param impls values of the {@code impl} parameter, ringbuf's first
 * @param throughput whether the score is records/s (else ns/record or a latency run)
 * @param gcProfiler whether to run with {@code -prof gc} (B/record)
 */
record Group(String key, String title, String benchmark, List<String> impls, boolean throughput,
        boolean gcProfiler) {
}
