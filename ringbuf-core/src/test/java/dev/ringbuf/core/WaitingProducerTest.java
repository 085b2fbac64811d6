package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Producers that wait for space ({@code reserve(size, timeout)}, {@code output(bytes, timeout)}): woken by the
 * consumer's progress and by the end of the stream, a record counted as dropped once when given up, waiters served
 * before producers that do not wait, and no busy CPU while waiting.
 */
class WaitingProducerTest extends ContractSuite {

    private static final Duration LONG = Duration.ofSeconds(30);

    /** Fills a 256-byte ring with 40-byte records (6 of them, 240 bytes): the next one does not fit. */
    private RingBuffer fullRing() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(256).maxRecordSize(64));
        for (int i = 0; i < 6; i++) {
            assertThat(ring.output(new byte[32])).isTrue();
        }
        assertThat(ring.output(new byte[32])).as("the ring is full").isFalse();
        return ring;
    }

    /** Whether {@code thread} waits for space: parked on the waiting path (in process), or inside it (ring file). */
    private static boolean waitsForSpace(Thread thread) {
        if (LockSupport.getBlocker(thread) instanceof WaitingProducers) {
            return true;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(SpaceWaiters.class.getName())) {
                return false; // entering or leaving
            }
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(WaitingProducers.class.getName())
                    && frame.getMethodName().equals("claim")) {
                return true;
            }
        }
        return false;
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void aWaitingReserveGetsTheSpaceTheConsumerFrees() throws Exception {
        RingBuffer ring = fullRing();
        CompletableFuture<Reservation> reserved = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            try {
                reserved.complete(ring.reserve(32, LONG));
            } catch (Throwable e) {
                reserved.completeExceptionally(e);
            }
        });
        TestSupport.awaitCondition("the producer waits for space", () -> waitsForSpace(waiter));
        assertThat(reserved).isNotDone();
        assertThat(ring.consume(record -> { }, 1)).isEqualTo(1);
        Reservation reservation = reserved.get(30, TimeUnit.SECONDS);
        assertThat(reservation).isNotNull();
        reservation.putLong(0, 42).commit();
        assertThat(ring.droppedRecords()).as("only the probe of fullRing() was dropped").isEqualTo(1);
    }

    @Test
    void aTimedOutWaitIsOneFullDrop() throws Exception {
        RingBuffer ring = fullRing();
        long before = ring.droppedRecords(DropReason.FULL);
        long start = System.nanoTime();
        assertThat(ring.reserve(32, Duration.ofMillis(50))).isNull();
        assertThat(System.nanoTime() - start).as("waited the timeout").isGreaterThanOrEqualTo(50_000_000L);
        assertThat(ring.output(new byte[32], Duration.ofMillis(20))).isFalse();
        assertThat(ring.output(new byte[32], Duration.ZERO)).isFalse();
        assertThat(ring.droppedRecords(DropReason.FULL) - before).as("one drop per record given up").isEqualTo(3);
    }

    @Test
    void endingTheStreamWakesEveryWaiterAndCountsOneClosedDropEach() throws Exception {
        RingBuffer ring = fullRing();
        List<CompletableFuture<Boolean>> outputs = new ArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Boolean> output = new CompletableFuture<>();
            outputs.add(output);
            waiters.add(start("waiter-" + i, () -> {
                try {
                    output.complete(ring.output(new byte[32], LONG));
                } catch (Throwable e) {
                    output.completeExceptionally(e);
                }
            }));
        }
        for (Thread waiter : waiters) {
            TestSupport.awaitCondition(waiter.getName() + " waits", () -> waitsForSpace(waiter));
        }
        ring.endStream();
        for (CompletableFuture<Boolean> output : outputs) {
            assertThat(output.get(30, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isEqualTo(3);
        assertThat(ring.droppedRecords(DropReason.FULL)).as("the probe only").isEqualTo(1);
    }

    @Test
    void anInterruptedWaitThrowsAndCountsOneFullDrop() throws Exception {
        RingBuffer ring = fullRing();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            try {
                ring.reserve(32, LONG);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        TestSupport.awaitCondition("the producer waits for space", () -> waitsForSpace(waiter));
        waiter.interrupt();
        assertThat(thrown.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class)
                .hasMessageContaining("given up");
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(2);
    }

    @Test
    void badInputIsRejectedBeforeWaiting() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(256).maxRecordSize(64));
        assertThatThrownBy(() -> ring.reserve(65, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65").hasMessageContaining("maxRecordSize 64");
        assertThatThrownBy(() -> ring.reserve(8, null)).isInstanceOf(NullPointerException.class);
        assertThat(ring.droppedRecords(DropReason.OVERSIZE)).isEqualTo(1);
    }

    @Test
    void producersThatDoNotWaitDoNotStarveAWaiter() throws Exception {
        RingBuffer ring = fullRing();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger greedyCommits = new AtomicInteger();
        Thread greedy = start("greedy", () -> {
            while (!stop.get()) {
                if (ring.output(new byte[32])) {
                    greedyCommits.incrementAndGet();
                }
            }
        });
        try {
            CompletableFuture<Boolean> waited = new CompletableFuture<>();
            Thread waiter = start("waiter", () -> {
                try {
                    waited.complete(ring.output(new byte[48], LONG));
                } catch (Throwable e) {
                    waited.completeExceptionally(e);
                }
            });
            TestSupport.awaitCondition("the producer waits for space", () -> waitsForSpace(waiter));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!waited.isDone() && System.nanoTime() - deadline < 0) {
                ring.consume(record -> { }, 1); // frees 40 bytes at a time: the waiter needs 56
            }
            assertThat(waited.get(1, TimeUnit.SECONDS)).as("the waiter got its space").isTrue();
        } finally {
            stop.set(true);
            greedy.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    void waitingProducersWithASlowConsumerDropNothingAndBurnNoCpu() throws Exception {
        RingBuffer ring = ring(RingBuffer.builder().capacity(1024).maxRecordSize(64));
        int producers = 3;
        int perProducer = 300;
        List<Thread> threads = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(start("producer-" + p, () -> {
                byte[] payload = new byte[24];
                for (int i = 0; i < perProducer; i++) {
                    payload[0] = (byte) id;
                    payload[1] = (byte) i;
                    payload[2] = (byte) (i >>> 8);
                    try {
                        if (!ring.output(payload, LONG)) {
                            failures.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        failures.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            TestSupport.awaitCondition(thread.getName() + " waits", () -> waitsForSpace(thread));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] cpuBefore = new long[producers];
        for (int p = 0; p < producers; p++) {
            cpuBefore[p] = mx.getThreadCpuTime(threads.get(p).getId());
        }
        int[] next = new int[producers];
        long windowStart = System.nanoTime();
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(1);
        long[] cpuInWindow = null;
        int consumed = 0;
        long deadline = windowStart + TimeUnit.SECONDS.toNanos(60);
        while (consumed < producers * perProducer) {
            assertThat(System.nanoTime() - deadline).as("all records consumed in time").isNegative();
            consumed += ring.consume(record -> {
                int id = record.getByte(0);
                int seq = (record.getByte(1) & 0xFF) | (record.getByte(2) & 0xFF) << 8;
                assertThat(seq).as("producer %d's order", id).isEqualTo(next[id]);
                next[id]++;
            }, 1);
            if (cpuInWindow == null && System.nanoTime() - windowEnd >= 0) {
                cpuInWindow = new long[producers];
                for (int p = 0; p < producers; p++) {
                    cpuInWindow[p] = mx.getThreadCpuTime(threads.get(p).getId()) - cpuBefore[p];
                }
            }
            if (cpuInWindow == null) {
                LockSupport.parkNanos(5_000_000); // a slow consumer: pacing, not synchronisation
            }
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failures).hasValue(0);
        assertThat(ring.droppedRecords()).as("nothing dropped").isZero();
        assertThat(ring.consumedRecords()).isEqualTo((long) producers * perProducer);
        assertThat(cpuInWindow).as("the consumer ran for over a second").isNotNull();
        // A spinning producer burns its whole share of a core (hundreds of ms in a second, even on a loaded
        // machine); a parked one wakes a few hundred times a second (in process) or idles with a park of up to 1 ms
        // (ring file).
        for (int p = 0; p < producers; p++) {
            System.out.printf("%s: waiting producer %d used %.1f ms CPU in a 1 s window%n", variant, p,
                    cpuInWindow[p] / 1e6);
            assertThat(cpuInWindow[p]).as("CPU of waiting producer %d over one second (ns)", p)
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
