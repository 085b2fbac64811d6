package dev.ringbuf.benchmarks.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics the report's tables print. */
class RowTest {

    private static Row row(int forks, Double... scores) {
        return new Row("ringbuf", List.of(scores), forks, 0, "ops/s", Double.NaN, Double.NaN);
    }

    @Test
    void medianOfAllIterationsOfAllForks() {
        assertThat(row(1, 3e6, 1e6, 2e6).median()).isEqualTo(2e6);
        assertThat(row(2, 4e6, 1e6, 3e6, 2e6).median()).isEqualTo(2.5e6);
    }

    @Test
    void eachForkHasItsOwnMedianInForkOrder() {
        // Fork 1 fast, fork 2 in a slow regime, fork 3 fast: the overall median hides the slow fork.
        final Row row = row(3, 28e6, 29e6, 30e6, 9e6, 10e6, 19e6, 27e6, 28e6, 26e6);
        assertThat(row.forkMedians()).containsExactly(29e6, 10e6, 27e6);
        assertThat(Report.forkMedians(row, true)).isEqualTo("29.0 / 10.0 / 27.0");
    }

    @Test
    void scoresThatDoNotSplitIntoForksHaveNoForkMedians() {
        assertThat(row(2, 1e6, 2e6, 3e6).forkMedians()).isEmpty();
        assertThat(Report.forkMedians(row(0, 1e6), true)).isEqualTo("-");
    }

    @Test
    void roundsMergeInOrderKeepingTheLargestAllocation() {
        final Row first = new Row("ringbuf", List.of(1e6, 3e6), 1, 0.0, "ops/s", 10, 2);
        final Row second = new Row("ringbuf", List.of(5e6, 7e6), 1, 40.0, "ops/s", 20, 4);
        final Row merged = first.plus(second);
        assertThat(merged.scores()).containsExactly(1e6, 3e6, 5e6, 7e6);
        assertThat(merged.forks()).isEqualTo(2);
        assertThat(merged.forkMedians()).containsExactly(2e6, 6e6);
        assertThat(merged.bytesPerRecord()).isEqualTo(40.0);
        assertThat(merged.delivered()).isEqualTo(15.0);
        assertThat(merged.polls()).isEqualTo(3.0);
        assertThat(new Row("x", List.of(1.0), 1, Double.NaN, "", 0, 0).plus(second).bytesPerRecord()).isEqualTo(40.0);
    }
}
