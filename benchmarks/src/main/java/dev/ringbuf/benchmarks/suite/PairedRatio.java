package dev.ringbuf.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ringbuf against one peer over paired rounds: in every round both ran one fresh fork (in a shuffled order), and the
 * ratio is taken within the round, so that a round whose forks drew a slow regime of the machine moves both sides.
 * The statistics are the median ratio, its min - max over rounds, and in how many rounds the goal held.
 *
 * @param ratios one ratio per round, in round order
 * @param goal the ratio a target asks for
 * @param atLeast whether the goal is a floor ({@code ratio >= goal}) or a ceiling ({@code ratio <= goal})
 */
record PairedRatio(List<Double> ratios, double goal, boolean atLeast) {

    /** Rounds out of four (and the same share of any other count) in which the goal must hold for "met". */
    static final double MET_SHARE = 0.75;

    /**
     * Per-round ratios of two rows' round medians.
     *
     * @param mine ringbuf's row
     * @param peer the peer's row, with as many rounds
     * @param higherIsBetter records/s (mine / peer) or ns/record (peer / mine): above 1 means ringbuf did better
     * @param goal the target's ratio, a floor
     * @return the ratios; empty if the rows do not split into the same rounds
     */
    static PairedRatio of(Row mine, Row peer, boolean higherIsBetter, double goal) {
        final List<Double> a = mine.forkMedians();
        final List<Double> b = peer.forkMedians();
        final List<Double> ratios = new ArrayList<>();
        if (a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                ratios.add(higherIsBetter ? a.get(i) / b.get(i) : b.get(i) / a.get(i));
            }
        }
        return new PairedRatio(ratios, goal, true);
    }

    int rounds() {
        return ratios.size();
    }

    /** Rounds in which the goal held (for a goal of 1.0, the rounds ringbuf led). */
    int held() {
        return (int) ratios.stream().filter(r -> atLeast ? r >= goal : r <= goal).count();
    }

    double median() {
        return Row.median(ratios);
    }

    double min() {
        return ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Whether the spread over rounds lies on both sides of {@code value}. */
    boolean straddles(double value) {
        return min() < value && max() > value;
    }

    /**
     * "met" when the goal held in at least three rounds of four; "no difference measured" when the spread straddles
     * the goal and it held in fewer; "**missed**" when it held in fewer and the spread lies beyond the goal.
     *
     * @return the verdict, as printed
     */
    String verdict() {
        if (ratios.isEmpty()) {
            return "not measured";
        }
        if (held() >= Math.ceil(MET_SHARE * rounds())) {
            return "met";
        }
        return straddles(goal) ? "no difference measured" : "**missed**";
    }

    /** "1.23x (0.98 - 1.40), 3 of 4 rounds". */
    String describe() {
        if (ratios.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx (%.2f - %.2f), %d of %d rounds", median(), min(), max(), held(),
                rounds());
    }
}
