package dev.ringbuf.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * One implementation's result in a group.
 *
 * @param impl the implementation
 * @param scores the primary score of every measurement iteration of every fork, fork by fork (one fork per round)
 * @param forks how many forks {@code scores} came from, each with the same number of iterations
 * @param bytesPerRecord {@code gc.alloc.rate.norm} (all threads), the largest of any round, or NaN
 * @param unit the score's unit
 * @param delivered records/s delivered to the subscriber (Flux workloads), or NaN
 * @param polls the consumer's non-empty polls per second (raw workloads), or NaN
 */
record Row(String impl, List<Double> scores, int forks, double bytesPerRecord, String unit, double delivered,
        double polls) {

    double recordsPerPoll() {
        final double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return mean / polls;
    }

    double median() {
        return median(scores);
    }

    /**
     * This row followed by {@code next}'s rounds: scores appended, forks added, the larger allocation, the mean
     * of the counters.
     *
     * @param next the same implementation's next round
     * @return the merged row
     */
    Row plus(Row next) {
        final List<Double> all = new ArrayList<>(scores);
        all.addAll(next.scores);
        final double bytes = Double.isNaN(bytesPerRecord) ? next.bytesPerRecord
                : Double.isNaN(next.bytesPerRecord) ? bytesPerRecord : Math.max(bytesPerRecord, next.bytesPerRecord);
        return new Row(impl, all, forks + next.forks, bytes, unit, mean(delivered, forks, next.delivered, next.forks),
                mean(polls, forks, next.polls, next.forks));
    }

    private static double mean(double a, int weightA, double b, int weightB) {
        return (a * weightA + b * weightB) / (weightA + weightB);
    }

    /**
     * The median of each fork's iterations, in fork order: on a machine whose regime is set per JVM fork (where the
     * host placed the vCPUs), this shows the regimes that the overall median and min - max blend.
     *
     * @return one median per fork; empty if the scores do not split evenly into {@link #forks()} forks
     */
    List<Double> forkMedians() {
        if (forks <= 0 || scores.isEmpty() || scores.size() % forks != 0) {
            return List.of();
        }
        final int perFork = scores.size() / forks;
        final List<Double> medians = new ArrayList<>(forks);
        for (int fork = 0; fork < forks; fork++) {
            medians.add(median(scores.subList(fork * perFork, (fork + 1) * perFork)));
        }
        return medians;
    }

    static double median(List<Double> values) {
        final double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
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
