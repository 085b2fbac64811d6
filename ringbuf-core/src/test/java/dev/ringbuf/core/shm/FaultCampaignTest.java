package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign of issue 11: producer and consumer processes on one ring file, randomly stopped (SIGSTOP, for
 * up to three stall timeouts, then SIGCONT) and killed (SIGKILL, then replaced) for a bounded time. Afterwards every
 * producer's records must have been delivered in its order, each at least once, with intact contents; a record is
 * missing only if its producer was told it was lost (abandoned after the stall timeout) or the producer was killed
 * holding it; a record is delivered twice only by consecutive consumer processes, the first of them killed before it
 * released it (at-least-once).
 *
 * <p>Duration: {@code -Dringbuf.campaign.seconds} (default 20; the one-minute run is 60). Seed:
 * {@code -Dringbuf.campaign.seed} (printed).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FaultCampaignTest {

    private static final long SECONDS = Long.getLong("ringbuf.campaign.seconds", 20);
    private static final Duration STALL = Duration.ofMillis(200);
    private static final int PRODUCERS = 2;

    @TempDir
    Path dir;

    private final List<Process> all = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws IOException {
        for (Process process : all) {
            if (process.isAlive()) {
                signal("CONT", process);
                process.destroyForcibly();
            }
        }
    }

    private Process java(Class<?> main, Path log, String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx32m", "-Xss512k", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        all.add(process);
        return process;
    }

    private static void signal(String name, Process process) throws IOException {
        try {
            final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException("kill -" + name + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The fault schedule's pause between faults (not synchronisation: the faults are meant to land anywhere). */
    private static void pause(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
    }

    @Test
    void randomStopsAndKillsLoseNothingDuplicateNothingAndReorderNothing() throws Exception {
        final long seed = Long.getLong("ringbuf.campaign.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Path file = dir.resolve("campaign.ring");
        final Path stop = dir.resolve("stop");
        final RingBuffer owner = RingBuffer.builder().file(file).capacity(1 << 14).maxRecordSize(64)
                .stallTimeout(STALL).create();
        final List<Process> producers = new ArrayList<>();
        final List<Integer> producerIds = new ArrayList<>();
        final Set<Integer> killedProducers = new HashSet<>();
        final List<Path> consumerLogs = new ArrayList<>();
        final Set<Integer> killedConsumers = new HashSet<>();
        int nextId = 0;
        for (; nextId < PRODUCERS; nextId++) {
            producers.add(java(CampaignProducer.class, dir.resolve("producer-" + nextId + ".out"), file.toString(),
                    Integer.toString(nextId), stop.toString()));
            producerIds.add(nextId);
        }
        consumerLogs.add(dir.resolve("consumer-0.log"));
        Process consumer = java(CampaignConsumer.class, dir.resolve("consumer-0.out"), file.toString(),
                consumerLogs.get(0).toString());
        int stops = 0;
        int kills = 0;
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (System.nanoTime() - end < 0) {
            pause(100 + random.nextInt(400));
            final int victim = random.nextInt(PRODUCERS + 1); // PRODUCERS: the consumer
            final boolean kill = random.nextInt(6) == 0;
            final Process target = victim == PRODUCERS ? consumer : producers.get(victim);
            if (kill) {
                kills++;
                target.destroyForcibly(); // SIGKILL
                assertThat(target.waitFor(10, TimeUnit.SECONDS)).isTrue();
                if (victim == PRODUCERS) {
                    killedConsumers.add(consumerLogs.size() - 1);
                    final Path log = dir.resolve("consumer-" + consumerLogs.size() + ".log");
                    consumerLogs.add(log);
                    consumer = java(CampaignConsumer.class, dir.resolve("consumer-" + consumerLogs.size() + ".out"),
                            file.toString(), log.toString());
                } else {
                    killedProducers.add(producerIds.get(victim));
                    producers.set(victim, java(CampaignProducer.class, dir.resolve("producer-" + nextId + ".out"),
                            file.toString(), Integer.toString(nextId), stop.toString()));
                    producerIds.set(victim, nextId++);
                }
            } else {
                stops++;
                signal("STOP", target);
                pause(random.nextInt((int) (3 * STALL.toMillis())));
                signal("CONT", target);
            }
        }
        Files.createFile(stop);
        for (Process producer : producers) {
            assertThat(producer.waitFor(60, TimeUnit.SECONDS)).as("producer finished").isTrue();
            assertThat(producer.exitValue()).as("producer exit status").isZero();
        }
        // the last consumer process is killed too; this JVM drains what is left, as the final consumer
        consumer.destroyForcibly();
        assertThat(consumer.waitFor(10, TimeUnit.SECONDS)).isTrue();
        killedConsumers.add(consumerLogs.size() - 1);
        final List<long[]> drained = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (owner.availableData() > 0) {
            assertThat(System.nanoTime() - deadline).as("drained within 30 s").isNegative();
            owner.consume(r -> drained.add(new long[] {r.getLong(0), r.getLong(8), r.getLong(16)}));
            owner.awaitData(Duration.ofMillis(20));
        }

        // what each producer said: DONE n (finished) and LOST s (abandoned)
        final Map<Long, Long> done = new HashMap<>();
        final Map<Long, Set<Long>> lost = new HashMap<>();
        for (int id = 0; id < nextId; id++) {
            lost.put((long) id, new HashSet<>());
            for (String line : Files.readAllLines(dir.resolve("producer-" + id + ".out"))) {
                if (line.startsWith("LOST ")) {
                    lost.get((long) id).add(Long.parseLong(line.substring(5)));
                } else if (line.startsWith("DONE ")) {
                    done.put((long) id, Long.parseLong(line.substring(5)));
                }
            }
        }
        final List<List<long[]>> generations = new ArrayList<>();
        for (Path log : consumerLogs) {
            generations.add(readLog(log));
        }
        generations.add(drained);

        final Map<Long, TreeSet<Long>> delivered = new HashMap<>();
        long records = 0;
        long duplicates = 0;
        for (int g = 0; g < generations.size(); g++) {
            final Map<Long, Long> lastInGeneration = new HashMap<>();
            for (long[] record : generations.get(g)) {
                final long id = record[0];
                final long seq = record[1];
                records++;
                assertThat(record[2]).as("checksum of producer %d record %d (generation %d)", id, seq, g)
                        .isEqualTo(CampaignProducer.checksum(id, seq));
                assertThat(lost.get(id)).as("producer %d was told record %d was lost", id, seq).doesNotContain(seq);
                final Long previous = lastInGeneration.put(id, seq);
                assertThat(previous == null || seq > previous).as("producer %d: %d after %d in generation %d",
                        id, seq, previous, g).isTrue();
                if (!delivered.computeIfAbsent(id, k -> new TreeSet<>()).add(seq)) {
                    duplicates++;
                    assertThat(killedConsumers).as("a duplicate needs a killed consumer before generation %d", g)
                            .contains(g - 1);
                }
            }
        }
        for (int id = 0; id < nextId; id++) {
            final TreeSet<Long> seqs = delivered.getOrDefault((long) id, new TreeSet<>());
            final long upTo = done.containsKey((long) id) ? done.get((long) id) : seqs.isEmpty() ? 0 : seqs.last() + 1;
            for (long seq = 0; seq < upTo; seq++) {
                if (!seqs.contains(seq) && !lost.get((long) id).contains(seq)) {
                    throw new AssertionError("producer " + id + " record " + seq + " was lost silently (seed " + seed
                            + ")");
                }
            }
            if (!done.containsKey((long) id)) {
                assertThat(killedProducers).as("producer %d neither finished nor was killed", id).contains(id);
            }
        }
        final long lostTotal = lost.values().stream().mapToLong(Set::size).sum();
        System.out.printf("fault campaign: %d s, seed %d, %d stops, %d kills, %d producer processes, %d consumer "
                + "processes, %d records delivered (%d redelivered), %d lost and told, %d abandoned%n", SECONDS, seed,
                stops, kills, nextId, consumerLogs.size(), records, duplicates, lostTotal, owner.abandonedRecords());
        assertThat(records).as("records flowed").isGreaterThan(1000);
    }

    private static List<long[]> readLog(Path log) throws IOException {
        final List<long[]> records = new ArrayList<>();
        if (!Files.exists(log)) {
            return records;
        }
        final byte[] bytes = Files.readAllBytes(log);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes); // DataOutputStream: big-endian
        while (buffer.remaining() >= 24) { // a partial last entry: killed while flushing
            records.add(new long[] {buffer.getLong(), buffer.getLong(), buffer.getLong()});
        }
        return records;
    }
}
