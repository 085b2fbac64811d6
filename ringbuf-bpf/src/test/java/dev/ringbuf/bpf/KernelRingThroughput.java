package dev.ringbuf.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records per second consumed from a kernel ring that a BPF program fills through {@code BPF_PROG_TEST_RUN} with
 * {@code repeat} (a program, not a unit test; the benchmarks module stays on Java 17). Two measurements, each the
 * median of several rounds:
 *
 * <ul>
 *   <li><b>drain</b>: the ring is filled first (16-byte records, 24 bytes each), then one {@code consume} call
 *       drains it; the handler reads each record's first long. The consumer alone.
 *   <li><b>concurrent</b>: one thread runs the program in batches of {@code repeat} while the consumer loops on
 *       {@code consume} and {@code awaitData} (the kernel's default notification); consumed and dropped records
 *       per second, the shape of the kernel's own ring buffer benchmark ({@code rb-libbpf}: 12.1 M/s for libbpf's
 *       consumer, one producer, default notification, 2020 Xeon).
 * </ul>
 *
 * Run after {@code mvn -pl ringbuf-bpf -am test-compile} with a JDK 22+:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED \
 *   -cp ringbuf-core/target/classes:ringbuf-bpf/target/classes:ringbuf-bpf/target/test-classes \
 *   dev.ringbuf.bpf.KernelRingThroughput [rounds]
 * </pre>
 */
public final class KernelRingThroughput {

    private static final int RING = 1 << 26;
    private static final int RECORD = 24;
    private static final int REPEAT = 10_000;

    private KernelRingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("machine: " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Linux "
                + System.getProperty("os.version") + ", Java " + Runtime.version());
        final int counters = TestPrograms.counters();
        try (KernelRingBuffer ring = KernelRingBuffer.create(RING, "rb_bench")) {
            final int program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
            try {
                final double[] drain = new double[rounds];
                final double[] concurrent = new double[rounds];
                final double[] dropped = new double[rounds];
                final double[] fill = new double[rounds];
                drainRound(ring, program, new double[1]); // warm-up
                concurrentRound(ring, program, counters, new double[1]);
                for (int i = 0; i < rounds; i++) {
                    final double[] filled = new double[1];
                    drain[i] = drainRound(ring, program, filled);
                    fill[i] = filled[0];
                    final double[] drops = new double[1];
                    concurrent[i] = concurrentRound(ring, program, counters, drops);
                    dropped[i] = drops[0];
                    System.out.printf("round %d: drain %.1f M records/s, concurrent %.1f M consumed/s (%.1f M "
                            + "dropped/s), producer alone %.1f M records/s%n", i + 1, drain[i] / 1e6,
                            concurrent[i] / 1e6, dropped[i] / 1e6, fill[i] / 1e6);
                }
                System.out.printf("median: drain %.1f M records/s, concurrent %.1f M consumed/s (%.1f M dropped/s),"
                        + " producer alone %.1f M records/s; libbpf's published figure: 12.1 M/s%n",
                        median(drain) / 1e6, median(concurrent) / 1e6, median(dropped) / 1e6, median(fill) / 1e6);
            } finally {
                Bpf.close(program);
            }
        } finally {
            Bpf.close(counters);
        }
    }

    /** Fills the ring (timed: the producer alone), then times one consume of every record. */
    private static double drainRound(KernelRingBuffer ring, int program, double[] fillPerSecond) {
        final int records = (RING - 1) / RECORD;
        final long fillStart = System.nanoTime();
        for (int done = 0; done < records; done += REPEAT) {
            BpfPrograms.testRun(program, TestPrograms.packet(64), Math.min(REPEAT, records - done));
        }
        fillPerSecond[0] = records * 1e9 / (System.nanoTime() - fillStart);
        final long[] sum = {0};
        final long start = System.nanoTime();
        final int consumed = ring.consume(record -> sum[0] += record.getLong(0));
        final long elapsed = System.nanoTime() - start;
        if (consumed != records || sum[0] == 0) {
            throw new IllegalStateException("consumed " + consumed + " of " + records);
        }
        return consumed * 1e9 / elapsed;
    }

    /** One producer thread in batches, the consumer on this thread, for one second. */
    private static double concurrentRound(KernelRingBuffer ring, int program, int counters, double[] droppedPerSecond)
            throws Exception {
        final long droppedBefore = TestPrograms.counter(counters, 1);
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread producer = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                BpfPrograms.testRun(program, TestPrograms.packet(64), REPEAT);
            }
        });
        final long[] sum = {0};
        long consumed = 0;
        final long start = System.nanoTime();
        final long end = start + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < end) {
            consumed += ring.consume(record -> sum[0] += record.getLong(0));
            ring.awaitData(Duration.ofMillis(10));
        }
        final long elapsed = System.nanoTime() - start;
        running.set(false);
        producer.join();
        ring.consume(record -> { }); // leave it empty for the next round
        droppedPerSecond[0] = (TestPrograms.counter(counters, 1) - droppedBefore) * 1e9 / elapsed;
        return consumed * 1e9 / elapsed;
    }

    private static double median(double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (java.io.IOException e) {
            return "unknown CPU";
        }
    }
}
