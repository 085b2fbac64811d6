package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * No lost wakeup, ever: with the poll timer disabled, only DEFAULT/FORCE wakeups and demand run the drain. Producers
 * alternate bursts with idle gaps in which they wait for the subscriber to catch up (so the drain goes idle and the
 * next commit must wake it), or only pause a moment (so commits race with the drain's end). A single lost wakeup
 * stalls the stream for good (a later DEFAULT commit does not wake a consumer that is behind), which the bounded
 * catch-up wait turns into a failure. Every record is counted and checked in per-producer order.
 */
class NoLostWakeupStressTest {

    private static final int PRODUCERS = 2;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long CATCH_UP_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void unboundedDemand() throws InterruptedException {
        run("stress-unbounded", UnaryOperator.identity());
    }

    @Test
    void smallReplenishedDemand() throws InterruptedException {
        // limitRate requests 4 at a time from inside onNext: demand, not only wakeups, restarts the drain.
        run("stress-bounded", flux -> flux.limitRate(4));
    }

    private static void run(String name, UnaryOperator<Flux<Long>> shape) throws InterruptedException {
        RingBuffer ring = RingBuffer.builder().name(name).capacity(1024).build();
        AtomicLongArray lastSeen = new AtomicLongArray(PRODUCERS);
        AtomicLongArray received = new AtomicLongArray(PRODUCERS);
        AtomicReference<String> orderError = new AtomicReference<>();
        for (int p = 0; p < PRODUCERS; p++) {
            lastSeen.set(p, -1);
        }
        Flux<Long> flux = RingBufferFlux.builder(ring).pollInterval(Duration.ZERO).batchSize(16)
                .decode(record -> record.getLong(0));
        Disposable subscription = shape.apply(flux).subscribe(packed -> {
            int producer = (int) (packed >>> 48);
            long seq = packed & 0xFFFF_FFFF_FFFFL;
            if (seq != lastSeen.get(producer) + 1 && orderError.get() == null) {
                orderError.set("producer " + producer + ": got " + seq + " after " + lastSeen.get(producer));
            }
            lastSeen.set(producer, seq);
            received.incrementAndGet(producer);
        });

        List<Thread> threads = new ArrayList<>();
        long[] produced = new long[PRODUCERS];
        long[] rounds = new long[PRODUCERS];
        AtomicReference<String> stall = new AtomicReference<>();
        long end = System.nanoTime() + RUN_NANOS;
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            Thread thread = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long seq = 0;
                while (System.nanoTime() < end && stall.get() == null) {
                    int burst = 1 + random.nextInt(24);
                    for (int i = 0; i < burst && stall.get() == null; i++) {
                        // Mostly DEFAULT (wakes only a caught-up drain), sometimes FORCE. No NONE here: with the timer
                        // off a NONE record at the head legitimately waits for the next FORCE, which a full ring can
                        // keep from being written; that is the documented NONE contract, not a lost wakeup.
                        Wakeup wakeup = random.nextInt(8) == 0 ? Wakeup.FORCE : Wakeup.DEFAULT;
                        long deadline = System.nanoTime() + CATCH_UP_DEADLINE_NANOS;
                        while (!Rings.put(ring, ((long) producer << 48) | seq, wakeup)) {
                            // Full: the subscriber frees space as it drains, unless it missed a wakeup.
                            if (System.nanoTime() - deadline > 0) {
                                stall.set("producer " + producer + " found the ring full for 10 s at record " + seq
                                        + ", the subscriber stopped at " + lastSeen.get(producer)
                                        + ": a wakeup was lost");
                                break;
                            }
                            Thread.onSpinWait();
                        }
                        seq++;
                    }
                    rounds[producer]++;
                    if (random.nextBoolean()) {
                        // Idle gap: wait until the subscriber has everything, so the drain goes idle.
                        long deadline = System.nanoTime() + CATCH_UP_DEADLINE_NANOS;
                        while (lastSeen.get(producer) != seq - 1) {
                            if (System.nanoTime() - deadline > 0) {
                                stall.set("producer " + producer + " committed up to " + (seq - 1)
                                        + " but the subscriber stopped at " + lastSeen.get(producer)
                                        + ": a wakeup was lost");
                                break;
                            }
                            LockSupport.parkNanos(20_000);
                        }
                    } else {
                        // A short pause: the next commit races with the end of the drain pass.
                        for (int spin = random.nextInt(200); spin > 0; spin--) {
                            Thread.onSpinWait();
                        }
                    }
                }
                produced[producer] = stall.get() == null ? seq : -1;
            }, name + "-producer-" + p);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.NANOSECONDS.toMillis(RUN_NANOS + 2 * CATCH_UP_DEADLINE_NANOS));
            assertThat(thread.isAlive()).as("producer finished").isFalse();
        }
        // Final catch-up, the same bounded wait: the last commits must arrive with no timer and no further commit.
        long deadline = System.nanoTime() + CATCH_UP_DEADLINE_NANOS;
        for (int p = 0; p < PRODUCERS; p++) {
            while (received.get(p) != produced[p] && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(20_000);
            }
        }
        subscription.dispose();

        assertThat(stall.get()).isNull();
        assertThat(orderError.get()).isNull();
        for (int p = 0; p < PRODUCERS; p++) {
            assertThat(rounds[p]).as("bursts of producer %d", p).isGreaterThan(50);
            assertThat(received.get(p)).as("records of producer %d", p).isEqualTo(produced[p]);
        }
        long total = 0;
        for (long count : produced) {
            total += count;
        }
        assertThat(ring.consumedRecords()).isEqualTo(total);
    }
}
