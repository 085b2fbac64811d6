package dev.ringbuf.benchmarks.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Paired ratios: taken within each round, summarised by median and spread, judged by rounds held. */
class PairedRatioTest {

    /** One fork per round, two iterations per fork. */
    private static Row rounds(String impl, double... perIteration) {
        final List<Double> scores = java.util.Arrays.stream(perIteration).boxed().toList();
        return new Row(impl, scores, perIteration.length / 2, 0, "ops/s", Double.NaN, Double.NaN);
    }

    @Test
    void theRatioIsTakenWithinEachRoundNotBetweenOverallMedians() {
        // Round 2 drew a slow regime for both: a within-round ratio is unaffected by it.
        final Row mine = rounds("ringbuf", 20, 20, 5, 5, 22, 22, 18, 18);
        final Row peer = rounds("agrona", 10, 10, 2.5, 2.5, 11, 11, 12, 12);
        final PairedRatio ratio = PairedRatio.of(mine, peer, true, 1.0);
        assertThat(ratio.ratios()).containsExactly(2.0, 2.0, 2.0, 1.5);
        assertThat(ratio.median()).isEqualTo(2.0);
        assertThat(ratio.min()).isEqualTo(1.5);
        assertThat(ratio.max()).isEqualTo(2.0);
        assertThat(ratio.held()).isEqualTo(4);
        assertThat(ratio.verdict()).isEqualTo("met");
        assertThat(ratio.describe()).isEqualTo("2.00x (1.50 - 2.00), 4 of 4 rounds");
    }

    @Test
    void costsAreComparedTheOtherWayRound() {
        final Row mine = rounds("ringbuf", 10, 10, 20, 20);
        final Row peer = rounds("agrona", 15, 15, 10, 10);
        final PairedRatio ratio = PairedRatio.of(mine, peer, false, 1.0);
        assertThat(ratio.ratios()).containsExactly(1.5, 0.5);
    }

    @Test
    void threeRoundsOfFourAreMet() {
        final PairedRatio ratio = new PairedRatio(List.of(1.2, 1.1, 0.9, 1.3), 1.0, true);
        assertThat(ratio.held()).isEqualTo(3);
        assertThat(ratio.verdict()).isEqualTo("met");
    }

    @Test
    void twoRoundsOfFourWithASpreadAcrossTheGoalAreNoDifference() {
        final PairedRatio ratio = new PairedRatio(List.of(1.2, 0.8, 0.9, 1.3), 1.0, true);
        assertThat(ratio.held()).isEqualTo(2);
        assertThat(ratio.straddles(1.0)).isTrue();
        assertThat(ratio.verdict()).isEqualTo("no difference measured");
    }

    @Test
    void aSpreadEntirelyShortOfTheGoalIsMissed() {
        final PairedRatio ratio = new PairedRatio(List.of(1.2, 1.4, 1.1, 1.3), 1.5, true);
        assertThat(ratio.held()).isZero();
        assertThat(ratio.verdict()).isEqualTo("**missed**");
        assertThat(ratio.median()).isCloseTo(1.25, within(1e-9));
    }

    @Test
    void aCeilingGoalHoldsWhenTheRatioIsAtMostIt() {
        // Latency: ringbuf's p50 over the floor's, at most 1.10 in three rounds of four.
        final PairedRatio ratio = new PairedRatio(List.of(1.05, 1.0, 1.2, 0.98), 1.10, false);
        assertThat(ratio.held()).isEqualTo(3);
        assertThat(ratio.verdict()).isEqualTo("met");
        assertThat(new PairedRatio(List.of(1.3, 1.4, 1.2, 1.25), 1.10, false).verdict()).isEqualTo("**missed**");
    }

    @Test
    void rowsWithDifferentRoundsAreNotCompared() {
        final PairedRatio ratio = PairedRatio.of(rounds("a", 1, 1, 2, 2), rounds("b", 1, 1), true, 1.0);
        assertThat(ratio.ratios()).isEmpty();
        assertThat(ratio.verdict()).isEqualTo("not measured");
        assertThat(ratio.describe()).isEqualTo("-");
    }
}
