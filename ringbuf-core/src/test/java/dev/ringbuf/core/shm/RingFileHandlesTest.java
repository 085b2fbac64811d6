package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ring-file handles: closing a handle from {@code open()} detaches that process only; the creator's {@code close()}
 * or any handle's {@code endStream()} ends the stream for every process; {@code create()} replaces a ring file only
 * once its stream has ended.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingFileHandlesTest {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process producer(Path file, int id, long count) throws IOException {
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ProducerProcess.class.getName(), file.toString(), Integer.toString(id), Long.toString(count), "close")
                .redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    @Test
    void producerProcessesThatCloseTheirHandlesDoNotEndTheStreamForTheOthers() throws Exception {
        final Path file = dir.resolve("handles.ring");
        final long[] counts = {2_000, 60_000};
        try (RingBuffer ring = RingBuffer.builder().file(file).capacity(1 << 14).maxRecordSize(64).create()) {
            final Process first = producer(file, 0, counts[0]);
            final Process second = producer(file, 1, counts[1]);
            final long[] next = new long[2];
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean firstExited = false;
            while (next[0] < counts[0] || next[1] < counts[1]) {
                assertThat(System.nanoTime() - deadline).as("all records arrive in time").isNegative();
                ring.consume(record -> {
                    final int id = (int) record.getLong(0);
                    assertThat(record.getLong(8)).as("order of producer %d", id).isEqualTo(next[id]);
                    next[id]++;
                });
                if (!firstExited && !first.isAlive()) {
                    firstExited = true;
                    assertThat(first.exitValue()).isZero();
                    assertThat(new String(first.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .contains("CLOSED 2000 closed=true");
                    assertThat(ring.isClosed()).as("a producer's close() detached it only").isFalse();
                }
                ring.awaitData(java.time.Duration.ofMillis(10));
            }
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isZero();
            assertThat(ring.isClosed()).as("both producers closed their handles; the stream goes on").isFalse();
            assertThat(ring.droppedRecords(DropReason.CLOSED)).isZero();
            assertThat(ring.output(new byte[16])).as("the creator still produces").isTrue();
            try (RingBuffer late = RingBuffer.builder().file(file).open()) {
                assertThat(late.isClosed()).as("a process opening now sees a live ring").isFalse();
            }
        }
        try (RingBuffer reopened = RingBuffer.builder().file(file).open()) {
            assertThat(reopened.isClosed()).as("the creator's close() ended the stream for everyone").isTrue();
            assertThat(reopened.consume(r -> { })).isEqualTo(1);
            assertThat(reopened.isClosedAndDrained()).isTrue();
        }
    }

    @Test
    void aClosedOpenerHandleFailsItsOwnReservationsOnly() throws Exception {
        final Path file = dir.resolve("opener.ring");
        try (RingBuffer owner = RingBuffer.builder().file(file).capacity(1024).create()) {
            final RingBuffer opener = RingBuffer.builder().file(file).open();
            opener.close();
            opener.close(); // idempotent
            assertThat(opener.isClosed()).isTrue();
            assertThat(opener.reserve(8)).isNull();
            assertThat(opener.output(new byte[1])).isFalse();
            assertThat(opener.droppedRecords(DropReason.CLOSED)).isEqualTo(2);
            assertThat(owner.isClosed()).isFalse();
            assertThat(owner.output(new byte[1])).isTrue();
            assertThat(owner.droppedRecords()).isZero();
        }
    }

    @Test
    void endStreamFromAnyHandleEndsItForEveryHandle() throws Exception {
        final Path file = dir.resolve("end.ring");
        try (RingBuffer owner = RingBuffer.builder().file(file).capacity(1024).create();
                RingBuffer opener = RingBuffer.builder().file(file).open()) {
            assertThat(opener.output(new byte[] {7})).isTrue();
            opener.endStream();
            assertThat(owner.isClosed()).isTrue();
            assertThat(owner.output(new byte[1])).isFalse();
            assertThat(owner.droppedRecords(DropReason.CLOSED)).isOne();
            assertThat(owner.consume(r -> assertThat(r.getByte(0)).isEqualTo((byte) 7))).isOne();
            assertThat(owner.isClosedAndDrained()).isTrue();
        }
    }

    @Test
    void createReplacesOnlyARingFileWhoseStreamEnded() throws Exception {
        final Path file = dir.resolve("reuse.ring");
        final RingBuffer first = RingBuffer.builder().file(file).capacity(1024).create();
        assertThat(first.output(new byte[] {1})).isTrue();
        assertThatThrownBy(() -> RingBuffer.builder().file(file).capacity(1024).create())
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("live ring file");

        first.close(); // the creator ends the stream
        try (RingBuffer second = RingBuffer.builder().file(file).capacity(2048).create()) {
            assertThat(second.isClosed()).as("a fresh ring").isFalse();
            assertThat(second.capacity()).isEqualTo(2048);
            assertThat(second.producerPosition()).isZero();
            assertThat(first.consume(r -> { })).as("the old handle still reads its own (old) file").isOne();
            assertThat(first.isClosedAndDrained()).isTrue();
            try (RingBuffer opened = RingBuffer.builder().file(file).open()) {
                assertThat(opened.capacity()).isEqualTo(2048);
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly(
                    "reuse.ring");
        }

        final Path other = Files.writeString(dir.resolve("notes.txt"), "not a ring");
        assertThatThrownBy(() -> RingBuffer.builder().file(other).capacity(1024).create())
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not a ring file");
        assertThat(Files.readString(other)).isEqualTo("not a ring");
    }
}
