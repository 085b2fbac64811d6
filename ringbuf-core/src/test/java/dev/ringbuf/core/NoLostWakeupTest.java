package dev.ringbuf.core;

import static dev.ringbuf.core.TestSupport.WAIT_NANOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A consumer that only ever blocks in {@code awaitData} with a long timeout: if a wait ever runs out its timeout
 * (returning {@code false}, or {@code true} only because the timeout made it look again), a wakeup was lost.
 * Producers commit in bursts; after each burst they wait until the consumer has caught up, then start the next one at
 * once (racing the consumer on its way into {@code park}) or, every other burst, only once it is parked. Over a ring
 * file the consumer's idle loop also looks again between parks (its wait is bounded by the idle loop's backoff), so
 * that variant checks delivery and order under the same bursts more than the unpark handshake.
 */
class NoLostWakeupTest extends ContractSuite {

    /** How the records of one burst are committed. */
    enum Mode {
        /** Every record with DEFAULT: only the commit the consumer waits at wakes it. */
        DEFAULT,
        /** Every record with FORCE. */
        FORCE,
        /** All but the last with NONE, the last with FORCE: the batch idiom. */
        NONE_THEN_FORCE,
        /**
         * The first record is reserved first and committed last with DEFAULT; the others are committed before it
         * with NONE. The NONE records are picked up thanks to the later DEFAULT commit the consumer waits at.
         */
        NONE_THEN_HEAD_DEFAULT
    }

    private static final int PRODUCERS = 2;
    private static final int MAX_BURSTS = 50_000;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
    /** A lost wakeup shows as an awaitData that times out: far longer than any scheduling delay. */
    private static final long CONSUMER_TIMEOUT_SECONDS = 10;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void consumerBlockedInAwaitDataIsAlwaysWoken(Mode mode) throws Exception {
        RingBuffer ring = ring(RingBuffer.builder().name("wakeup-" + mode).capacity(1 << 16));
        AtomicLong committed = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        long[] lostWakeups = {0};
        long[] next = new long[PRODUCERS];

        Thread consumer = new Thread(() -> {
            try {
                Duration timeout = Duration.ofSeconds(CONSUMER_TIMEOUT_SECONDS);
                long timeoutNanos = timeout.toNanos();
                while (true) {
                    long start = System.nanoTime();
                    boolean ready = ring.awaitData(timeout);
                    if (!ready && ring.isClosedAndDrained()) {
                        return;
                    }
                    if (!ready || System.nanoTime() - start >= timeoutNanos) {
                        // Nothing woke it: the wait ran out (and then found the record, or not).
                        lostWakeups[0]++;
                        throw new AssertionError("lost wakeup: awaitData ran out its " + CONSUMER_TIMEOUT_SECONDS
                                + " s timeout at read position " + ring.readPosition() + " of " + ring);
                    }
                    int n = ring.consume(record -> {
                        int producer = record.getInt(0);
                        assertThat(record.getLong(8)).as("producer %d order", producer).isEqualTo(next[producer]);
                        next[producer]++;
                    });
                    consumed.addAndGet(n);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "awaiting-consumer");

        Phaser phaser = new Phaser(PRODUCERS);
        long deadline = System.nanoTime() + RUN_NANOS;
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            producers[p] = new Thread(() -> {
                long seq = 0;
                try {
                    for (int burst = 0; ; burst++) {
                        int size = 1 + (burst * 7 + producer) % 5;
                        seq = burst(ring, mode, producer, seq, size);
                        committed.addAndGet(size);
                        phaser.arriveAndAwaitAdvance(); // every producer's burst is committed
                        long target = committed.get();
                        if (burst % 2 == 0) {
                            // Go again the moment the consumer has caught up: it is on its way into awaitData.
                            waitUntil(() -> consumed.get() >= target || failure.get() != null,
                                    "the consumer catches up");
                        } else {
                            waitUntil(() -> consumed.get() >= target && variant.isWaitingIn(ring, consumer)
                                    || failure.get() != null, "the consumer catches up and parks");
                        }
                        if (producer == 0 && (burst + 1 >= MAX_BURSTS || System.nanoTime() - deadline > 0)) {
                            stop.set(true);
                        }
                        if (stop.get() || failure.get() != null) {
                            phaser.arriveAndDeregister();
                            return;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    stop.set(true);
                    phaser.forceTermination();
                }
            }, "burst-producer-" + p);
        }
        consumer.start();
        for (Thread t : producers) {
            t.start();
        }
        for (Thread t : producers) {
            t.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS) * 2);
        }
        ring.close(); // lets the consumer's last awaitData return false: closed and drained
        consumer.join(TimeUnit.SECONDS.toMillis(CONSUMER_TIMEOUT_SECONDS) * 2);
        if (failure.get() != null) {
            throw new AssertionError("failed in " + mode, failure.get());
        }
        assertThat(consumer.isAlive()).isFalse();
        assertThat(lostWakeups[0]).as("lost wakeups").isZero();
        assertThat(consumed.get()).isEqualTo(committed.get()).isEqualTo(ring.consumedRecords()).isPositive();
        long total = 0;
        for (long n : next) {
            total += n;
        }
        assertThat(total).as("every record counted, per producer in order").isEqualTo(committed.get());
        assertThat(ring.wakeups()).as("each burst needed at least one wakeup").isPositive();
        System.out.printf("%s: %d records, %d wakeups sent%n", mode, committed.get(), ring.wakeups());
    }

    /** Commits {@code size} records as {@code mode} says; returns the next sequence. */
    private static long burst(RingBuffer ring, Mode mode, int producer, long seq, int size) {
        if (mode == Mode.NONE_THEN_HEAD_DEFAULT) {
            Reservation head = reserve(ring, producer, seq);
            for (int i = 1; i < size; i++) {
                reserve(ring, producer, seq + i).commit(Wakeup.NONE);
            }
            head.commit(Wakeup.DEFAULT);
            return seq + size;
        }
        for (int i = 0; i < size; i++) {
            Wakeup wakeup;
            switch (mode) {
                case DEFAULT:
                    wakeup = Wakeup.DEFAULT;
                    break;
                case FORCE:
                    wakeup = Wakeup.FORCE;
                    break;
                default:
                    wakeup = i == size - 1 ? Wakeup.FORCE : Wakeup.NONE;
            }
            reserve(ring, producer, seq + i).commit(wakeup);
        }
        return seq + size;
    }

    private static Reservation reserve(RingBuffer ring, int producer, long seq) {
        Reservation r = ring.reserve(16);
        assertThat(r).as("the ring is never full in this test").isNotNull();
        return r.putInt(0, producer).putLong(8, seq);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (int spins = 0; !condition.getAsBoolean(); spins++) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            // Spin briefly so that the next burst follows the catch-up closely; then give the consumer the core.
            if (spins < 200) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
