package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.RingBuffer;
import java.io.IOException;
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
 * An overwrite-mode ring file across real processes: producer JVMs open the file (and adopt its mode) and overwrite a
 * small ring while this JVM reads it slowly. Every delivered record is whole and in order per producer, and every
 * record is either delivered or counted as overwritten, in the one counter the processes share.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OverwriteCrossProcessTest {

    private static final int PRODUCERS = 2;
    private static final long RECORDS = 200_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process start(Path file, int id) throws IOException {
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-cp", System.getProperty("java.class.path"),
                ProducerProcess.class.getName(), file.toString(), Integer.toString(id), Long.toString(RECORDS))
                .redirectErrorStream(true).redirectOutput(dir.resolve("producer-" + id + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    @Test
    void producerJvmsOverwriteAndThisJvmReadsTheSurvivorsInOrder() throws Exception {
        final Path file = dir.resolve("recorder.ring");
        final RingBuffer ring = RingBuffer.builder().file(file).capacity(4096).maxRecordSize(64).overwrite(true)
                .create();
        try (RingBuffer opened = RingBuffer.builder().file(file).open()) {
            assertThat(opened.isOverwrite()).as("open() adopts the file's mode").isTrue();
        }
        final long[] last = {-1, -1};
        final String[] failure = new String[1];
        long delivered = 0;
        final RecordHandler check = record -> {
            final long id = record.getLong(0);
            final long seq = record.getLong(8);
            long spin = 0;
            for (int i = 0; i < 200; i++) {
                spin += record.getLong(8) ^ i; // a slow reader: the producers lap it
            }
            if (record.length() != 16 || id < 0 || id >= PRODUCERS || seq <= last[(int) id] || seq >= RECORDS
                    || record.getLong(0) != id || record.getLong(8) != seq || spin == 42) {
                failure[0] = "record " + id + "/" + seq + " (length " + record.length() + ") after "
                        + (id >= 0 && id < PRODUCERS ? last[(int) id] : -1);
            } else {
                last[(int) id] = seq;
            }
        };
        for (int id = 0; id < PRODUCERS; id++) {
            start(file, id);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        boolean running = true;
        while (running && failure[0] == null && System.nanoTime() < deadline) {
            running = processes.stream().anyMatch(Process::isAlive);
            delivered += ring.consume(check, 64);
        }
        delivered += ring.consume(check);
        assertThat(failure[0]).isNull();
        for (Process process : processes) {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("producer exit status").isZero();
        }
        for (int id = 0; id < PRODUCERS; id++) {
            assertThat(Files.readString(dir.resolve("producer-" + id + ".log"))).startsWith("DONE " + RECORDS);
        }
        assertThat(ring.readPosition()).isEqualTo(ring.producerPosition());
        assertThat(ring.overwrittenRecords()).as("the producers lapped the reader").isPositive();
        assertThat(delivered).isEqualTo(ring.consumedRecords()).isPositive();
        assertThat(ring.consumedRecords() + ring.overwrittenRecords() + ring.discardedRecords())
                .as("every record delivered or counted overwritten").isEqualTo(PRODUCERS * RECORDS);
        // The producer that finished last wrote the newest records: its last one survives (the other's may not).
        assertThat(Math.max(last[0], last[1])).as("the newest record survives").isEqualTo(RECORDS - 1);
        ring.close();
    }
}
