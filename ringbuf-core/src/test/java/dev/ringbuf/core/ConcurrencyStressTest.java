package dev.ringbuf.core;

import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Four producers and one consumer on a 4 KiB ring, so that the ring is full and wraps all the time. Every producer's
 * record stream is a pure function of (producer, sequence): size 0..256, discard or commit, the API used, the wakeup
 * flag, and whether it is reserved together with the next one and the two are finished in reverse order. A producer
 * retries a sequence until its reservation succeeds, so the consumer knows exactly what each producer must deliver
 * next. Bounded in time: the producers stop after {@link #RUN_NANOS}, in each variant.
 */
class ConcurrencyStressTest extends ContractSuite {

    private static final int PRODUCERS = 4;
    private static final int CAPACITY = 4096;
    private static final int MAX_SIZE = 256;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long MAX_SEQUENCE = 2_000_000;
    private static final Wakeup[] WAKEUPS = Wakeup.values();

    /** SplitMix64's finaliser: a good 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long decision(int producer, long seq) {
        return mix((producer + 1) * 0x9E3779B97F4A7C15L + seq);
    }

    private static int sizeOf(long d) {
        return (int) ((d >>> 1) % (MAX_SIZE + 1));
    }

    private static boolean discards(long d) {
        return ((d >>> 20) & 7) == 0;
    }

    private static int wayOf(long d) {
        return (int) ((d >>> 30) % 3); // 0: Reservation, 1: claim/offset, 2: output (reserve for a discard)
    }

    private static boolean pairs(long d) {
        return ((d >>> 40) & 3) == 0;
    }

    private static Wakeup wakeupOf(long d) {
        return WAKEUPS[(int) ((d >>> 50) % 3)];
    }

    /** Byte 0: producer; bytes 1..8: sequence (when the record has room); the rest a pattern of both. */
    static byte[] payload(int producer, long seq, int size) {
        byte[] bytes = TestSupport.patternBytes(producer, seq, size);
        if (size >= 1) {
            bytes[0] = (byte) producer;
        }
        if (size >= 9) {
            ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1, seq);
        }
        return bytes;
    }

    /** What each producer did; read by the test thread after join. */
    static final class ProducerStats {
        long sequences;         // records reserved (committed or discarded)
        long committed;
        long committedEmpty;    // committed records of size 0 (the consumer cannot attribute them)
        long discarded;
        long full;
        long oversize;
        long closed;
        long pairsReversed;
    }

    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Test
    void producersAndOneConsumerLoseDuplicateAndCorruptNothing() throws Exception {
        RingBuffer ring = ring(RingBuffer.builder().name("stress").capacity(CAPACITY).maxRecordSize(1024));
        ProducerStats[] stats = new ProducerStats[PRODUCERS];
        AtomicInteger running = new AtomicInteger(PRODUCERS);
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + RUN_NANOS;
        Thread[] threads = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            stats[p] = new ProducerStats();
            threads[p] = new Thread(() -> {
                try {
                    produce(ring, producer, stats[producer], deadline, stop);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    running.decrementAndGet();
                }
            }, "producer-" + p);
        }
        for (Thread t : threads) {
            t.start();
        }

        long[] next = new long[PRODUCERS];
        long[] emptySeen = {0};
        long[] delivered = {0};
        RecordHandler check = record -> {
            delivered[0]++;
            int length = record.length();
            if (length == 0) {
                emptySeen[0]++;
                return;
            }
            int producer = record.getByte(0);
            assertThat(producer).isBetween(0, PRODUCERS - 1);
            long seq = next[producer];
            while (discards(decision(producer, seq)) || sizeOf(decision(producer, seq)) == 0) {
                seq++; // records the consumer must not see, or cannot attribute
            }
            if (length >= 9) {
                assertThat(record.getLong(1)).as("producer %d order", producer).isEqualTo(seq);
            }
            assertThat(length).as("producer %d seq %d", producer, seq).isEqualTo(sizeOf(decision(producer, seq)));
            byte[] actual = new byte[length];
            record.getBytes(0, actual, 0, length);
            assertThat(actual).as("producer %d seq %d", producer, seq).isEqualTo(payload(producer, seq, length));
            next[producer] = seq + 1;
        };

        SplittableRandom random = new SplittableRandom(7);
        long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int awaitTrue = 0;
        try {
            while (true) {
                if (failure.get() != null) {
                    break;
                }
                boolean producersDone = running.get() == 0;
                if (producersDone && ring.consumerPosition() == ring.producerPosition()) {
                    break;
                }
                if (System.nanoTime() - hardDeadline > 0) {
                    fail("the consumer did not drain the ring in time: " + ring);
                }
                switch (random.nextInt(4)) {
                    case 0:
                        ring.consume(check);
                        break;
                    case 1:
                        ring.consume(check, 1 + random.nextInt(8));
                        break;
                    case 2:
                        awaitTrue += ring.awaitData(Duration.ofMillis(1)) ? 1 : 0;
                        break;
                    default:
                        ring.read(check, 1 + random.nextInt(16));
                        ring.releaseTo(ring.readPosition());
                        break;
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a producer failed", failure.get());
        }

        long committed = 0;
        long empty = 0;
        long discarded = 0;
        long full = 0;
        long oversize = 0;
        long reversed = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            ProducerStats s = stats[p];
            long seq = next[p];
            while (seq < s.sequences && (discards(decision(p, seq)) || sizeOf(decision(p, seq)) == 0)) {
                seq++;
            }
            assertThat(seq).as("producer %d: every sequence delivered", p).isEqualTo(s.sequences);
            assertThat(s.committed + s.discarded).isEqualTo(s.sequences);
            committed += s.committed;
            empty += s.committedEmpty;
            discarded += s.discarded;
            full += s.full;
            oversize += s.oversize;
            reversed += s.pairsReversed;
        }
        assertThat(emptySeen[0]).as("empty records").isEqualTo(empty);
        assertThat(delivered[0]).as("delivered exactly once").isEqualTo(committed);
        assertThat(ring.consumedRecords()).isEqualTo(committed);
        assertThat(ring.discardedRecords()).isEqualTo(discarded);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(full);
        assertThat(ring.droppedRecords(DropReason.OVERSIZE)).isEqualTo(oversize);
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isZero();
        assertThat(ring.availableData()).isZero();
        System.out.printf("stress: %d committed, %d discarded, %d full, %d oversize, %d reversed pairs, %d laps,"
                + " awaitData true %d%n", committed, discarded, full, oversize, reversed,
                ring.producerPosition() / CAPACITY, awaitTrue);
        // The run must have exercised what it claims to: many laps, a full ring, reversed pairs, discards.
        assertThat(ring.producerPosition()).isGreaterThan(20L * CAPACITY);
        assertThat(full).isPositive();
        assertThat(reversed).isPositive();
        assertThat(discarded).isPositive();

        closeWhileProducing(ring);
    }

    private static void produce(RingBuffer ring, int producer, ProducerStats s, long deadline, AtomicBoolean stop) {
        ByteBuffer memory = ring.buffer();
        long seq = 0;
        long attempts = 0;
        while (seq < MAX_SEQUENCE && System.nanoTime() - deadline < 0 && !stop.get()) {
            if ((++attempts & 511) == 0) {
                try {
                    ring.reserve(1025);
                    throw new AssertionError("oversize reservation accepted");
                } catch (IllegalArgumentException expected) {
                    s.oversize++;
                }
            }
            long d = decision(producer, seq);
            if (pairs(d)) {
                long d2 = decision(producer, seq + 1);
                boolean offsets = wayOf(d) == 1;
                Object first = start(ring, memory, producer, seq, d, offsets);
                if (first == null) {
                    s.full++;
                    Thread.yield();
                    continue;
                }
                Object second = start(ring, memory, producer, seq + 1, d2, offsets);
                if (second == null) {
                    s.full++;
                    finish(ring, first, d, s);
                    seq++;
                    s.sequences = seq;
                    continue;
                }
                finish(ring, second, d2, s); // the later record first: the consumer must wait for the earlier
                finish(ring, first, d, s);
                s.pairsReversed++;
                seq += 2;
                s.sequences = seq;
                continue;
            }
            int size = sizeOf(d);
            boolean ok;
            if (wayOf(d) == 2 && !discards(d)) {
                ok = ring.output(payload(producer, seq, size), 0, size, wakeupOf(d));
                if (ok) {
                    count(s, size, false);
                }
            } else {
                Object held = start(ring, memory, producer, seq, d, wayOf(d) == 1);
                ok = held != null;
                if (ok) {
                    finish(ring, held, d, s);
                }
            }
            if (ok) {
                seq++;
                s.sequences = seq;
            } else {
                s.full++;
                Thread.yield();
            }
        }
    }

    /** Reserves and writes one record: a Reservation, or an Integer offset; null when the ring is full. */
    private static Object start(RingBuffer ring, ByteBuffer memory, int producer, long seq, long d, boolean offsets) {
        int size = sizeOf(d);
        byte[] bytes = payload(producer, seq, size);
        if (offsets) {
            int offset = ring.claim(size);
            if (offset == RingBuffer.CLAIM_FAILED) {
                return null;
            }
            memory.put(offset, bytes);
            return offset;
        }
        Reservation r = ring.reserve(size);
        if (r != null) {
            r.putBytes(0, bytes, 0, size);
        }
        return r;
    }

    private static void finish(RingBuffer ring, Object held, long d, ProducerStats s) {
        boolean discard = discards(d);
        Wakeup wakeup = wakeupOf(d);
        if (held instanceof Reservation) {
            Reservation r = (Reservation) held;
            if (discard) {
                r.discard(wakeup);
            } else {
                r.commit(wakeup);
            }
        } else if (discard) {
            ring.discard((Integer) held, wakeup);
        } else {
            ring.commit((Integer) held, wakeup);
        }
        count(s, sizeOf(d), discard);
    }

    private static void count(ProducerStats s, int size, boolean discarded) {
        if (discarded) {
            s.discarded++;
        } else {
            s.committed++;
            s.committedEmpty += size == 0 ? 1 : 0;
        }
    }

    /**
     * The ring is drained; producers add at most 100 empty records each (3200 of its 4088 bytes, so never full)
     * while the ring is closed under them: every failure is a {@code closed} drop, every success is delivered.
     */
    private void closeWhileProducing(RingBuffer ring) throws Exception {
        long consumedBefore = ring.consumedRecords();
        long fullBefore = ring.droppedRecords(DropReason.FULL);
        CountDownLatch started = new CountDownLatch(PRODUCERS);
        long[] ok = new long[PRODUCERS];
        long[] closed = new long[PRODUCERS];
        Thread[] threads = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            threads[p] = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        if (i == 10) {
                            started.countDown();
                        }
                        Reservation r = ring.reserve(0);
                        if (r == null) {
                            assertThat(ring.isClosed()).isTrue();
                            closed[producer]++;
                        } else {
                            r.commit(Wakeup.NONE);
                            ok[producer]++;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "closing-producer-" + p);
            threads[p].start();
        }
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        ring.close();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (failure.get() != null) {
            throw new AssertionError("a closing producer failed", failure.get());
        }
        long accepted = 0;
        long refused = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            accepted += ok[p];
            refused += closed[p];
        }
        assertThat(accepted + refused).isEqualTo(100L * PRODUCERS);
        assertThat(accepted).isGreaterThanOrEqualTo(10L * PRODUCERS);
        assertThat(ring.consume(record -> assertThat(record.length()).isZero())).isEqualTo(accepted);
        assertThat(ring.isClosedAndDrained()).isTrue();
        assertThat(ring.awaitData(Duration.ofDays(1))).isFalse();
        assertThat(ring.consumedRecords() - consumedBefore).isEqualTo(accepted);
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isEqualTo(refused);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(fullBefore);
    }
}
