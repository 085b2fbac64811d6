package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.broker.TestBroker;
import dev.ringbuf.kafka.broker.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay on a ring file, in a child JVM killed with SIGKILL while records are in flight, then a new relay process
 * on the same file: every record the ring accepted reaches Kafka, in ring order (duplicates of what was in flight
 * allowed: at-least-once). Needs the ring file's redelivery of records read and not released by a dead consumer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingFileRelayKillTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestBroker broker;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    /** A relay child and its output lines. */
    private BlockingQueue<String> startRelay(Path file, String topic) throws IOException {
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RingFileRelayProcess.class.getName(), file.toString(), broker.bootstrapServers(), topic)
                .redirectErrorStream(true).start();
        children.add(child);
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        }, "relay-child-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Waits for a line that matches; returns it. */
    private static String await(BlockingQueue<String> lines, java.util.function.Predicate<String> wanted)
            throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        final List<String> seen = new ArrayList<>();
        while (true) {
            final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no expected line within " + WAIT + "; output: " + seen);
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    @Test
    void aRelayKilledWithSigkillAndRestartedLosesNothingTheRingAccepted() throws Exception {
        broker.createTopic("ring-file-relay", 1);
        final Path file = dir.resolve("relay.ring");
        final RingBuffer ring = RingBuffer.builder().name("relay-file").file(file).capacity(1 << 15)
                .maxRecordSize(64).create();
        final List<Long> accepted = new ArrayList<>();
        final AtomicBoolean producing = new AtomicBoolean(true);
        final Thread producer = new Thread(() -> {
            long n = 0;
            while (producing.get()) {
                if (ring.output(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n).array())) {
                    synchronized (accepted) {
                        accepted.add(n);
                    }
                }
                n++;
                LockSupport.parkNanos(100_000); // about 10 000 attempts a second at most
            }
        }, "ring-file-producer");
        producer.start();
        try {
            final BlockingQueue<String> first = startRelay(file, "ring-file-relay");
            await(first, "RELAYING"::equals);
            await(first, line -> line.startsWith("SENT ") && Long.parseLong(line.substring(5)) >= 2000);
            children.get(0).destroyForcibly(); // SIGKILL, with records in flight and read but not released
            assertThat(children.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();

            final BlockingQueue<String> second = startRelay(file, "ring-file-relay");
            await(second, line -> line.startsWith("SENT ") && Long.parseLong(line.substring(5)) >= 2000);
            producing.set(false);
            producer.join(10_000);
            ring.close(); // the creator ends the stream: the relay drains the ring and completes
            final String done = await(second, line -> line.startsWith("DONE "));
            assertThat(done).contains("ring drained");
        } finally {
            producing.set(false);
            producer.join(10_000);
        }
        final List<Long> inKafka = Topics.sequences(Topics.read(broker, "ring-file-relay", 0));
        final List<Long> expected;
        synchronized (accepted) {
            expected = List.copyOf(accepted);
        }
        System.out.println("ring-file relay killed: accepted " + expected.size() + ", in Kafka " + inKafka.size()
                + " (duplicates " + (inKafka.size() - new LinkedHashSet<>(inKafka).size()) + "), full drops "
                + ring.droppedRecords(DropReason.FULL));
        // nothing accepted is missing, and the first copies are in ring order
        assertThat(List.copyOf(new LinkedHashSet<>(inKafka))).isEqualTo(expected);
    }
}
