package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer process killed with SIGKILL between two consumer calls, holding records it read and did not release
 * (the guard word is 0 then, so no take-over runs): the next consumer starts at the oldest unreleased record.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerKilledBetweenCallsTest {

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void recordsReadButNotReleasedByAKilledConsumerAreDeliveredAgainFromTheOldest() throws Exception {
        final Path file = dir.resolve("held.ring");
        final RingBuffer ring = RingBuffer.builder().file(file).capacity(1 << 12).maxRecordSize(64).create();
        for (long i = 0; i < 100; i++) {
            ring.reserve(8).putLong(0, i).commit();
        }
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ReadAndHoldProcess.class.getName(), file.toString(), "10").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("READ 10 0 9");
        }
        child.destroyForcibly(); // SIGKILL, between calls: the guard is free, records 0..9 read and not released
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ring.consumerPosition()).as("nothing was released").isZero();

        final List<Long> seen = new ArrayList<>();
        try (RingBuffer successor = RingBuffer.builder().file(file).open()) {
            assertThat(successor.consume(record -> seen.add(record.getLong(0)))).isEqualTo(100);
        }
        final List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
    }
}
