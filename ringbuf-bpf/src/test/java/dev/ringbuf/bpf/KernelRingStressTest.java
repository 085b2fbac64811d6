package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Two threads running a BPF program into one ring (the kernel producing from two CPUs' worth of test runs)
 * while a consumer drains it with {@code consume} and {@code awaitData}: every record the programs output arrives
 * exactly once, and the program's own count of failures (ring full) accounts for the rest. The producers pace
 * themselves on the ring's fill level, so the run (several ring-fulls) needs the consumer to keep up concurrently;
 * a full ring's drops are {@code KernelRingBufferTest}'s. Bounded in time.
 */
class KernelRingStressTest {

    private static final int RUNS_PER_CALL = 100;
    private static final int CALLS_PER_PRODUCER = 1_000;

    @Test
    void everyRecordIsConsumedOnceOrCountedAsDroppedByTheProgram() throws Exception {
        KernelRings.assumeAvailable();
        final int counters = TestPrograms.counters();
        // Own threads: the common pool may have one worker on a small machine, which the consumer would hold.
        try (ExecutorService threads = Executors.newFixedThreadPool(3);
                KernelRingBuffer ring = KernelRingBuffer.create(1 << 20, "rb_stress")) {
            final int program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
            try {
                final AtomicBoolean producing = new AtomicBoolean(true);
                final long[] last = {0};
                final long[] outOfOrder = {0};
                final BitSet seen = new BitSet();
                final long[] duplicates = {0};
                final CompletableFuture<Long> consumed = CompletableFuture.supplyAsync(() -> {
                    long count = 0;
                    try {
                        while (producing.get() || ring.isRecordReady()) {
                            count += ring.consume(record -> {
                                final long sequence = record.getLong(0);
                                // Sequences are taken before output: two CPUs may output them out of order by a
                                // little, never twice. Count the decreases to keep the test honest about that.
                                if (sequence <= last[0]) {
                                    outOfOrder[0]++;
                                }
                                if (seen.get((int) sequence)) {
                                    duplicates[0]++;
                                }
                                seen.set((int) sequence);
                                last[0] = sequence;
                            });
                            ring.awaitData(Duration.ofMillis(10));
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return count;
                }, threads);
                final CompletableFuture<?> a = CompletableFuture.runAsync(() -> produce(ring, program), threads);
                final CompletableFuture<?> b = CompletableFuture.runAsync(() -> produce(ring, program), threads);
                CompletableFuture.allOf(a, b).get(120, TimeUnit.SECONDS);
                producing.set(false);
                final long delivered = consumed.get(60, TimeUnit.SECONDS);

                final long attempted = TestPrograms.counter(counters, 0);
                final long dropped = TestPrograms.counter(counters, 1);
                assertThat(attempted).isEqualTo(2L * RUNS_PER_CALL * CALLS_PER_PRODUCER);
                assertThat(delivered + dropped).as("consumed %d + dropped %d", delivered, dropped)
                        .isEqualTo(attempted);
                assertThat(ring.recordsConsumed()).isEqualTo(delivered);
                assertThat(duplicates[0]).as("records delivered twice").isZero();
                assertThat(seen.cardinality()).isEqualTo((int) delivered);
                assertThat(seen.nextSetBit(0)).isGreaterThanOrEqualTo(1);
                assertThat(seen.length() - 1L).isLessThanOrEqualTo(attempted);
                assertThat(dropped).as("paced producers never meet a full ring").isZero();
                assertThat(delivered).as("several ring-fulls: consumed while produced")
                        .isGreaterThan(3L * ring.capacity() / 24);
                assertThat(ring.availableData()).isZero();
                System.err.printf("stress: %d records consumed, %d dropped by a full ring, %d out of sequence order"
                        + "%n", delivered, dropped, outOfOrder[0]);
            } finally {
                Bpf.close(program);
            }
        } finally {
            Bpf.close(counters);
        }
    }

    /**
     * Runs the program in batches, each after the ring is at most three quarters full: the ring never fills, so the
     * run holds several times the ring's capacity only if the consumer drains it while the producers run.
     */
    private static void produce(KernelRingBuffer ring, int program) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        for (int i = 0; i < CALLS_PER_PRODUCER; i++) {
            while (ring.availableData() > ring.capacity() / 4 * 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the consumer did not drain the ring within 100 s");
                }
                LockSupport.parkNanos(100_000); // paced by the consumer's progress, polled 0.1 ms apart
            }
            BpfPrograms.testRun(program, TestPrograms.packet(64), RUNS_PER_CALL);
        }
    }
}
