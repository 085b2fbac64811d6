package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manual-release subscriber on a ring file whose previous consumer (another handle: another process, in life)
 * read records and never released them: the subscriber starts at the oldest unreleased record and frees only up to
 * what it read itself, never up to the predecessor's read position (which would free records nobody delivered).
 */
class RingFileSuccessorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aManualReleaseSubscriberAfterAConsumerThatHeldRecordsGetsThemAll() throws Exception {
        final Path file = dir.resolve("held.ring");
        final RingBuffer created = RingBuffer.builder().name("held").file(file).capacity(1 << 12).maxRecordSize(64)
                .create();
        for (long i = 0; i < 50; i++) {
            created.reserve(8).putLong(0, i).commit();
        }
        try (RingBuffer dead = RingBuffer.builder().file(file).open()) {
            assertThat(dead.read(record -> { }, 10)).isEqualTo(10); // read, never released: then it went away
        }
        final List<Long> seen = new ArrayList<>();
        try (RingBuffer successor = RingBuffer.builder().file(file).open()) {
            RingBufferFlux.builder(successor).manualRelease(16).records()
                    .doOnNext(record -> {
                        seen.add(record.getLong(0));
                        record.release();
                    })
                    .take(50).then().block(TIMEOUT);
            // The last releases reach the drain asynchronously (each schedules a reclaim): bounded wait for it.
            final long reclaimBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (created.consumerPosition() != 50 * 16 && System.nanoTime() - reclaimBy < 0) {
                Thread.yield();
            }
        }
        final List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(created.consumerPosition()).as("every record released, its space reclaimed").isEqualTo(50 * 16);
        created.close();
    }
}
