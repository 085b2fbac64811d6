package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.InvalidRingFileException;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overwrite mode in ring files: the mode is in the file, and a stalled producer does not stop overwriting for good. */
class OverwriteRingFileTest {

    @TempDir
    Path dir;

    @Test
    void theModeIsRecordedInTheFileAndOpenAdoptsIt() throws IOException {
        Path file = dir.resolve("recorder.ring");
        try (RingBuffer created = RingBuffer.builder().file(file).capacity(4096).overwrite(true).create()) {
            assertThat(RingFiles.getLong(file, RingLayout.FLAGS_OFFSET)).isEqualTo(RingLayout.FLAG_OVERWRITE);
            try (RingBuffer opened = RingBuffer.builder().file(file).overwrite(false).open()) {
                assertThat(opened.isOverwrite()).isTrue();
            }
        }
        Path normal = dir.resolve("normal.ring");
        try (RingBuffer created = RingBuffer.builder().file(normal).capacity(4096).create();
                RingBuffer opened = RingBuffer.builder().file(normal).overwrite(true).open()) {
            assertThat(RingFiles.getLong(normal, RingLayout.FLAGS_OFFSET)).isZero();
            assertThat(opened.isOverwrite()).as("the file's mode, not the builder's").isFalse();
        }
    }

    @Test
    void anUnknownFlagIsRefused() throws IOException {
        Path file = dir.resolve("future.ring");
        RingBuffer.builder().file(file).capacity(4096).create().close();
        RingFiles.putLong(file, RingLayout.FLAGS_OFFSET, RingLayout.FLAG_OVERWRITE | 2);
        assertThatThrownBy(() -> RingBuffer.builder().file(file).open()).isInstanceOf(InvalidRingFileException.class)
                .hasMessageContaining("feature flags 0x3");
    }

    @Test
    void aLappedOverwriteRingFileStillOpens() throws IOException {
        Path file = dir.resolve("lapped.ring");
        try (RingBuffer ring = RingBuffer.builder().file(file).capacity(4096).overwrite(true).create()) {
            for (int i = 0; i < 100; i++) {
                assertThat(ring.output(new byte[200])).isTrue(); // 25 laps ahead of the consumer position
            }
            try (RingBuffer opened = RingBuffer.builder().file(file).open()) {
                assertThat(opened.availableData()).isLessThanOrEqualTo(4095);
                assertThat(opened.consume(record -> { })).isPositive();
            }
        }
    }

    @Test
    void aStalledProducersRecordIsAbandonedAndOverwritingResumes() throws IOException {
        Path file = dir.resolve("stall.ring");
        try (RingBuffer ring = RingBuffer.builder().file(file).capacity(4096).overwrite(true)
                .stallTimeout(Duration.ofMillis(100)).create()) {
            Reservation stalled = ring.reserve(1016); // never committed, as if its process had died
            for (int i = 0; i < 2; i++) {
                assertThat(ring.output(new byte[1016])).isTrue(); // 1024 bytes each: 3072 in all
            }
            assertThat(ring.output(new byte[1016])).as("the busy record is in the way").isFalse();
            assertThat(ring.droppedRecords(DropReason.FULL)).isOne();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int delivered = 0;
            while (ring.abandonedRecords() == 0 && System.nanoTime() < deadline) {
                delivered += ring.consume(record -> { });
            }
            assertThat(ring.abandonedRecords()).isOne();
            delivered += ring.consume(record -> { });
            assertThat(delivered).isEqualTo(2);
            assertThat(ring.output(new byte[1016])).as("overwriting resumes").isTrue();
            assertThatThrownBy(stalled::commit).isInstanceOf(IllegalStateException.class);
        }
    }
}
