package dev.ringbuf.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Validator;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every latency pipe delivers every record, in order, with its stamp: a pipe that lost, reordered or mangled one
 * would fail its validator, and a wrong stamp would put an impossible latency in the histogram.
 */
class LatencyPipesTest {

    private static final int RECORDS = 20_000;

    @ParameterizedTest
    @ValueSource(strings = {"ringbuf-default", "ringbuf-spin", "park-floor", "agrona-backoff", "ringbuf-flux",
        "sinks-unicast"})
    void everyRecordArrivesInOrderWithItsStamp(String impl) throws InterruptedException {
        final Validator validator = new Validator(true);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final LatencyPipes.Pipe pipe = LatencyPipes.create(impl);
        pipe.start(new LatencyPipes.Sink(validator, histogram));
        final long first = Records.firstSequence(0);
        final long startNanos = System.nanoTime();
        try {
            for (long s = first; s < first + RECORDS; s++) {
                pipe.send(s, System.nanoTime());
                if ((s & 63) == 0) {
                    // Let the consumer catch up and sleep now and then, so that the wakeup path is exercised too.
                    Await.received(validator, 0, s + 1);
                }
            }
            Await.received(validator, 0, first + RECORDS); // bounded: throws if the consumer stalls
        } finally {
            pipe.stop();
        }
        validator.check();
        assertThat(validator.nextExpected(0)).isEqualTo(first + RECORDS);
        assertThat(histogram.getTotalCount()).isEqualTo(RECORDS);
        assertThat(histogram.getMaxValue()).isLessThanOrEqualTo(System.nanoTime() - startNanos);
    }
}
