package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overwrite mode step by step, positions after every reservation, over both variants.
 *
 * <p>The kernel patch ("bpf: Add overwrite mode for BPF ring buffer", v3, Xu Kuohai, October 2025) explains the
 * algorithm with diagrams of a 4096-byte ring whose producer, overwrite, pending and consumer positions all start at 0,
 * then a 512-byte event A reserved at offset 0 (producer position 512, A busy). Only that opening of the example was
 * reachable here, so the rest of the walk below is constructed from the kernel's algorithm: the space check
 * {@code new_prod_pos - pending_pos <= C - 1} and the loop that advances {@code overwrite_pos} over whole records while
 * {@code new_prod_pos - overwrite_pos > C - 1}. Sizes are whole records ({@code rec(S) = S + 8}): 512 = payload 504,
 * 1024 = payload 1016.
 */
class OverwriteModelTest extends ContractSuite {

    /** An overwrite ring never abandons (the builder refuses overwrite with a stall timeout): the two memories only. */
    @BeforeEach
    void overwriteKindsOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(variant != RingVariant.IN_PROCESS_STALL_TIMEOUT,
                "overwrite rings come in process memory and in ring files");
    }

    private static final int C = 4096;
    private static final int REC_512 = 504;
    private static final int REC_1024 = 1016;

    private RingBuffer overwriteRing() {
        return ring(RingBuffer.builder().capacity(C).maxRecordSize(2048).overwrite(true));
    }

    private static void assertPositions(RingBuffer ring, long producer, long overwrite, long consumer) {
        assertThat(ring.producerPosition()).as("producer position").isEqualTo(producer);
        assertThat(ring.overwritePosition()).as("overwrite position").isEqualTo(overwrite);
        assertThat(ring.consumerPosition()).as("consumer position").isEqualTo(consumer);
        assertThat(ring.availableData()).as("availableData = P - max(consumer, overwrite)")
                .isEqualTo(producer - Math.max(consumer, overwrite));
    }

    @Test
    void theKernelWalkThrough() {
        RingBuffer ring = overwriteRing();
        assertThat(ring.isOverwrite()).isTrue();
        assertPositions(ring, 0, 0, 0);

        // A, 512 bytes, stays busy for now.
        Reservation a = ring.reserve(REC_512);
        assertThat(a.position()).isZero();
        assertPositions(ring, 512, 0, 0);
        // B, C, D: 1024 bytes each; the ring holds 3584 bytes, A still busy.
        Reservation b = ring.reserve(REC_1024);
        assertPositions(ring, 1536, 0, 0);
        Reservation c = ring.reserve(REC_1024);
        assertPositions(ring, 2560, 0, 0);
        Reservation d = ring.reserve(REC_1024);
        assertPositions(ring, 3584, 0, 0);
        b.putLong(0, 'B').commit();
        c.putLong(0, 'C').commit();
        d.putLong(0, 'D').commit();

        // E needs 4608 - 0 > 4095: the oldest record, A, must go, but A is busy (the kernel's pending position).
        assertThat(ring.reserve(REC_1024)).isNull();
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(1);
        assertPositions(ring, 3584, 0, 0);

        // Once A is committed, E overwrites A (512) and then B (1024): 4608 - 1536 = 3072 <= 4095.
        a.putLong(0, 'A').commit();
        Reservation e = ring.reserve(REC_1024);
        assertThat(e.position()).isEqualTo(3584);
        assertPositions(ring, 4608, 1536, 0);
        assertThat(ring.overwrittenRecords()).isEqualTo(2);

        // F, 512: 5120 - 1536 = 3584 fits, nothing overwritten.
        Reservation f = ring.reserve(REC_512);
        assertPositions(ring, 5120, 1536, 0);
        e.putLong(0, 'E').commit();
        f.putLong(0, 'F').commit();

        // G, 1024: 6144 - 1536 > 4095, so C goes: 6144 - 2560 = 3584.
        Reservation g = ring.reserve(REC_1024);
        assertPositions(ring, 6144, 2560, 0);
        assertThat(ring.overwrittenRecords()).isEqualTo(3);

        // The consumer starts at the overwrite position: D, E, F, then stops at busy G.
        List<Long> seen = new ArrayList<>();
        assertThat(ring.consume(record -> seen.add(record.getLong(0)))).isEqualTo(3);
        assertThat(seen).containsExactly((long) 'D', (long) 'E', (long) 'F');
        // Lifting its pin, the consumer moves the overwrite position up to what it read (nothing left to pass).
        assertPositions(ring, 6144, 5120, 5120);

        g.discard();
        assertThat(ring.consume(record -> seen.add(record.getLong(0)))).isZero();
        assertPositions(ring, 6144, 6144, 6144);
        // Seven records finished: 3 delivered + 3 overwritten + 1 discarded.
        assertThat(ring.consumedRecords() + ring.overwrittenRecords() + ring.discardedRecords()).isEqualTo(7);
        assertThat(ring.droppedRecords()).isEqualTo(1);
    }

    @Test
    void discardedRecordsOverwrittenUnreadCountAsOverwrittenNotAsDiscarded() {
        RingBuffer ring = overwriteRing();
        for (int i = 0; i < 4; i++) {
            Reservation r = ring.reserve(REC_1024 - 8); // 1016 bytes each, so four fit
            if (i % 2 == 0) {
                r.discard();
            } else {
                r.putLong(0, i).commit();
            }
        }
        assertPositions(ring, 4064, 0, 0);
        assertThat(ring.output(new byte[REC_512])).isTrue(); // passes record 0 (discarded)
        assertPositions(ring, 4576, 1016, 0);
        assertThat(ring.overwrittenRecords()).isOne();
        assertThat(ring.output(new byte[REC_1024 - 8])).isTrue(); // 5592 - 1016 > 4095: passes record 1 (unread)
        assertPositions(ring, 5592, 2032, 0);
        assertThat(ring.overwrittenRecords()).isEqualTo(2);
        // Records 2 (discarded) and 3, then the two new ones: delivered + overwritten + discarded == 6 finished.
        assertThat(ring.consume(record -> { })).isEqualTo(3);
        assertThat(ring.discardedRecords()).isOne();
        assertThat(ring.consumedRecords() + ring.overwrittenRecords() + ring.discardedRecords()).isEqualTo(6);
    }

    @Test
    void recordsAlreadyConsumedAreNotCountedWhenOverwritten() {
        RingBuffer ring = overwriteRing();
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < 4; i++) {
                assertThat(ring.output(new byte[REC_1024 - 8])).isTrue();
            }
            assertThat(ring.consume(record -> { })).isEqualTo(4);
        }
        assertThat(ring.overwrittenRecords()).isZero();
        assertThat(ring.consumedRecords()).isEqualTo(12);
        assertThat(ring.droppedRecords()).isZero();
    }

    @Test
    void aProducerNeverOverwritesTheRecordAHandlerHolds() {
        RingBuffer ring = overwriteRing();
        for (int i = 0; i < 3; i++) {
            assertThat(ring.output(TestSupport.patternBytes(i, 0, REC_1024))).isTrue(); // 3072 bytes
        }
        List<Boolean> outputs = new ArrayList<>();
        int delivered = ring.consume(record -> {
            if (record.position() == 0) {
                // 4096 - 0 > 4095: needs record 0, which this handler holds.
                outputs.add(ring.output(new byte[REC_1024]));
                byte[] after = record.toByteArray();
                assertThat(after).isEqualTo(TestSupport.patternBytes(0, 0, REC_1024));
            }
        }, 1);
        assertThat(delivered).isOne();
        assertThat(outputs).containsExactly(false);
        assertThat(ring.droppedRecords(DropReason.FULL)).isOne();
        // Once the handler returned, record 0 is consumed and may go.
        assertThat(ring.output(new byte[REC_1024])).isTrue();
        assertThat(ring.overwrittenRecords()).isZero();
    }

    @Test
    void recordsReadButNotReleasedAreProtectedUntilReleased() {
        RingBuffer ring = overwriteRing();
        for (int i = 0; i < 4; i++) {
            assertThat(ring.output(TestSupport.patternBytes(i, 1, REC_1024 - 8))).isTrue();
        }
        List<byte[]> held = new ArrayList<>();
        long[] ends = new long[1];
        assertThat(ring.read(record -> {
            held.add(record.toByteArray());
            ends[0] = record.position() + 1024 - 8;
        }, 2)).isEqualTo(2);
        // The two records read are held: a producer stops at the oldest of them.
        assertThat(ring.output(new byte[REC_512])).isFalse();
        assertThat(ring.droppedRecords(DropReason.FULL)).isOne();
        ring.releaseTo(1016); // the first is released
        assertThat(ring.output(new byte[REC_512])).isTrue();
        assertThat(ring.overwritePosition()).isEqualTo(1016);
        assertThat(ring.output(new byte[REC_512 + 512])).isFalse(); // would need the second, still held
        ring.releaseTo(ends[0]);
        assertThat(ring.output(new byte[REC_512 + 512])).isTrue();
        assertThat(ring.overwrittenRecords()).isZero();
        // Records 2 and 3 and the two new ones are delivered; nothing unread was overwritten.
        assertThat(ring.consume(record -> { })).isEqualTo(4);
    }

    @Test
    void aConsumerLappedWhileAwayResumesAtTheOldestSurvivingRecord() {
        RingBuffer ring = overwriteRing();
        for (long i = 0; i < 40; i++) {
            assertThat(ring.output(TestSupport.patternBytes(i, 2, REC_512 - 8))).isTrue(); // 504 bytes each
        }
        List<Long> seen = new ArrayList<>();
        int delivered = ring.consume(record -> {
            byte[] bytes = record.toByteArray();
            for (long i = 0; i < 40; i++) {
                if (java.util.Arrays.equals(bytes, TestSupport.patternBytes(i, 2, REC_512 - 8))) {
                    seen.add(i);
                }
            }
        });
        // 4095 / 504 = 8 records fit, the last 8 survive, in order.
        assertThat(delivered).isEqualTo(8);
        assertThat(seen).containsExactly(32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L);
        assertThat(ring.overwrittenRecords()).isEqualTo(32);
        assertThat(ring.consumedRecords() + ring.overwrittenRecords()).isEqualTo(40);
        assertThat(ring.availableData()).isZero();
    }
}
