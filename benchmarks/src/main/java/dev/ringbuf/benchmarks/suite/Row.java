package dev.ringbuf.benchmarks.suite;

import java.util.List;

/**
 * One implementation's result in a group.
 *
 * @param impl the implementation
 * @param scores the primary score of every measurement iteration of every fork
 * @param bytesPerRecord {@code gc.alloc.rate.norm} (all threads), or NaN
 * @param unit the score's unit
 * @param delivered records/s delivered to the subscriber (Flux workloads), or NaN
 * @param polls the consumer's non-empty polls per second (raw workloads), or NaN
 */
record Row(String impl, List<Double> scores, double bytesPerRecord, String unit, double delivered, double polls) {

    double recordsPerPoll() {
        final double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return mean / polls;
    }

    double median() {
        final double[] s = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    double min() {
        return scores.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return scores.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
