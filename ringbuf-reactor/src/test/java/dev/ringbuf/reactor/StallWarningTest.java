package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * A record dropped by an operator without being released stalls the ring; the drain says so, once per episode.
 */
class StallWarningTest {

    private final TestLogger logger = new TestLogger(false);

    @AfterEach
    void stopCapture() {
        LoggerUtils.disableCapture();
    }

    @Test
    void aFilterWithoutDoOnDiscardIsReportedOnceAsAStall() {
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(logger);
        RingBuffer ring = Rings.ring("stalled", 4096);
        Rings.putAll(ring, 0, 4);
        Disposable subscription = RingBufferFlux.builder(ring)
                .pollInterval(Duration.ofMillis(5))
                .stallWarning(Duration.ofMillis(20))
                .manualRelease(16)
                .records()
                .filter(record -> Rings.seq(record) != 1) // drops record 1 without releasing it: the bug
                .subscribe(Record::release);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!logger.getErrContent().contains("unreleased") && !logger.getOutContent().contains("unreleased")
                && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // bounded wait for the poll-driven check
        }
        String logged = logger.getErrContent() + logger.getOutContent();
        assertThat(logged).contains("ring 'stalled'").contains("position 16")
                .contains("doOnDiscard(Record.class, Record::release)");
        long pollsBefore = ring.wakeups(); // unrelated counter: just let a few more polls run
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        while (System.nanoTime() < settle) {
            Thread.onSpinWait();
        }
        String later = logger.getErrContent() + logger.getOutContent();
        assertThat(later.split("unreleased", -1)).as("one warning per episode, not one per poll").hasSize(2);
        assertThat(pollsBefore).isGreaterThanOrEqualTo(0);
        subscription.dispose();
    }
}
