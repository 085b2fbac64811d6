package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's attacks on the in-process stall-timeout kind (capacity 256, {@code stallTimeout(100ms)}): a producer
 * that stalls past the timeout and then writes into its abandoned reservation. Before the kind took the ring file's
 * header discipline, the late put landed: the consumer took it for a busy header, abandoned it and skipped thousands of
 * bytes by its unchecked length, or the ring was wedged for good. Now the late put is refused with a message, the
 * abandon step skips only a validated length, and the ring goes on.
 */
class LateWriteAttackTest {

    private static final Duration STALL = Duration.ofMillis(100);
    /** A word that looks like a busy header of 4,000 bytes in lap 0 (what the attack wrote). */
    private static final long BUSY_LOOKING = RingLayout.header(RingLayout.STATE_BUSY, 4000);

    private static RingBuffer attacked() {
        return RingBuffer.builder().name("attacked").capacity(256).stallTimeout(STALL).build();
    }

    /** Waits (awaitData returns at the stall timeout) until the consumer has abandoned {@code count} records. */
    private static void abandon(RingBuffer ring, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TestSupport.WAIT_NANOS;
        while (ring.abandonedRecords() < count) {
            assertThat(System.nanoTime() - deadline).as("abandoned within the bound").isNegative();
            ring.awaitData(Duration.ofSeconds(1));
            ring.consume(record -> { });
        }
    }

    private static void outputLong(RingBuffer ring, long value) {
        assertThat(ring.output(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(0, value))).isTrue();
    }

    private static List<Long> drainLongs(RingBuffer ring) {
        List<Long> seen = new ArrayList<>();
        ring.consume(record -> seen.add(record.getLong(0)));
        return seen;
    }

    /** Moves the producer position to {@code offset} in the next lap with consumed 8-byte records (16 bytes each). */
    private static void advanceTo(RingBuffer ring, long position) {
        long value = 0;
        while (ring.producerPosition() < position) {
            outputLong(ring, value++);
            assertThat(drainLongs(ring)).hasSize(1);
        }
        assertThat(ring.producerPosition()).isEqualTo(position);
    }

    @Test
    void aLatePutAtTheProducerPositionIsRefusedNotTakenForABusyHeader() throws Exception {
        RingBuffer ring = attacked();
        Reservation stuck = ring.reserve(56); // position 0: header 0..8, payload 8..64
        abandon(ring, 1);
        advanceTo(ring, 256 + 16); // a lap later, the producer position is at offset 16, inside the stuck payload
        // The stalled producer wakes up and writes at payload index 8: offset 16, the producer position.
        assertThatThrownBy(() -> stuck.putLong(8, BUSY_LOOKING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ring 'attacked'").hasMessageContaining("abandoned")
                .hasMessageContaining("stall timeout of 100 ms");
        assertThat(ring.buffer().getLong(16)).as("nothing was written").isZero();
        assertThatThrownBy(stuck::commit).isInstanceOf(IllegalStateException.class);
        for (long i = 0; i < 1_000; i++) {
            outputLong(ring, i);
            assertThat(drainLongs(ring)).containsExactly(i);
        }
        assertThat(ring.abandonedRecords()).isEqualTo(1);
    }

    @Test
    void aLatePutOverANewerRecordsHeaderIsRefusedAndNeverWedgesTheRing() throws Exception {
        RingBuffer ring = attacked();
        Reservation stuck = ring.reserve(56);
        abandon(ring, 1);
        advanceTo(ring, 256 + 16);
        Reservation newer = ring.reserve(8); // its busy header at offset 16, inside the stuck payload
        assertThatThrownBy(() -> stuck.putLong(8, BUSY_LOOKING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("abandoned");
        newer.putLong(0, 42).commit();
        assertThat(drainLongs(ring)).containsExactly(42L);
        for (long i = 0; i < 100; i++) {
            outputLong(ring, i);
            assertThat(drainLongs(ring)).as("consume %d after the late write", i).containsExactly(i);
        }
    }

    /**
     * The one window checked puts leave: a put that passed its check just before the consumer abandoned the record
     * lands afterwards. Simulated with a raw write of the same word. The consumer never follows it: a word in free
     * space is cleaned (it lies in the abandoned record's space), and a word over a newer header is reported as
     * corruption naming the cause, never skipped by its length.
     */
    @Test
    void aLateWriteThatRacedItsCheckIsCleanedInFreeSpaceAndNamedOverAHeader() throws Exception {
        RingBuffer ring = attacked();
        ring.reserve(56);
        abandon(ring, 1);
        advanceTo(ring, 256 + 16);
        ring.buffer().putLong(16, BUSY_LOOKING); // free space at the producer position
        outputLong(ring, 7); // the claim finds the word in the abandoned space and cleans it
        assertThat(drainLongs(ring)).containsExactly(7L);

        RingBuffer second = attacked();
        second.reserve(56);
        abandon(second, 1);
        advanceTo(second, 256 + 16);
        outputLong(second, 8); // a newer committed record at offset 16
        second.buffer().putLong(16, BUSY_LOOKING); // the raced late write lands over its header
        assertThatThrownBy(() -> second.consume(record -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ring 'attacked' is corrupted")
                .hasMessageContaining("a stalled producer wrote after its record was abandoned");
        assertThat(second.consumerPosition()).as("not skipped by the late word's length").isEqualTo(256 + 16);
    }

    @Test
    void theAbandonStepNeverSkipsByALengthBeyondTheProducerPosition() throws Exception {
        RingBuffer ring = attacked();
        outputLong(ring, 1);
        assertThat(drainLongs(ring)).containsExactly(1L);
        // A busy-looking word of lap 0 with a length reaching past the producer position, where a record is claimed.
        int offset = ring.claim(8);
        ring.buffer().putLong(offset - 8, RingLayout.header(RingLayout.STATE_BUSY, 200));
        long start = System.nanoTime();
        assertThatThrownBy(() -> {
            while (System.nanoTime() - start < TestSupport.WAIT_NANOS) {
                ring.awaitData(Duration.ofSeconds(1));
                ring.consume(record -> { });
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("is corrupted")
                .hasMessageContaining("producer position 32");
        assertThat(ring.consumerPosition()).isEqualTo(16);
        assertThat(ring.abandonedRecords()).isZero();
    }

    /**
     * One producer stalls 120 to 250 ms now and then between reserve and its puts; another writes all along. Bounded
     * to a few seconds (it wedged the ring within 20 s before). Every record whose commit returned is delivered once,
     * in order; every late put or commit is refused; consume never throws.
     */
    @Test
    void aProducerStallingPastTheTimeoutNowAndThenNeverWedgesTheRing() throws Exception {
        RingBuffer ring = attacked();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong committedSteady = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread staller = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                Reservation r = ring.reserve(40);
                if (r == null) {
                    Thread.onSpinWait();
                    continue;
                }
                if (random.nextInt(8) == 0) {
                    LockSupport.parkNanos(Duration.ofMillis(120 + random.nextInt(131)).toNanos()); // the stall
                }
                try {
                    for (int i = 0; i < 40; i += 8) {
                        r.putLong(i, -1L);
                    }
                    r.commit();
                } catch (IllegalStateException abandoned) {
                    refused.incrementAndGet();
                }
            }
        }, "staller");
        Thread steady = new Thread(() -> {
            long next = 0;
            while (!stop.get()) {
                Reservation r = ring.reserve(8);
                if (r == null) {
                    Thread.onSpinWait();
                    continue;
                }
                r.putLong(0, next);
                r.commit();
                committedSteady.set(++next);
            }
        }, "steady");
        staller.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        steady.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        staller.start();
        steady.start();
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long[] next = {0};
        while (System.nanoTime() < end || refused.get() == 0 && System.nanoTime() < end + TestSupport.WAIT_NANOS) {
            ring.awaitData(Duration.ofMillis(50));
            ring.consume(record -> {
                long value = record.getLong(0);
                if (value != -1L) {
                    assertThat(value).as("the steady producer's records, in order").isEqualTo(next[0]);
                    next[0]++;
                }
            });
        }
        stop.set(true);
        staller.join(TestSupport.WAIT_NANOS / 1_000_000);
        steady.join(TestSupport.WAIT_NANOS / 1_000_000);
        TestSupport.awaitCondition("every committed record is delivered", () -> {
            ring.consume(record -> {
                long value = record.getLong(0);
                if (value != -1L) {
                    assertThat(value).isEqualTo(next[0]);
                    next[0]++;
                }
            }, Integer.MAX_VALUE);
            return next[0] == committedSteady.get();
        });
        long expected = committedSteady.get();
        assertThat(failure.get()).isNull();
        assertThat(next[0]).isEqualTo(expected);
        assertThat(refused.get()).as("late puts or commits refused").isPositive();
        assertThat(ring.abandonedRecords()).isGreaterThanOrEqualTo(refused.get());
    }
}
