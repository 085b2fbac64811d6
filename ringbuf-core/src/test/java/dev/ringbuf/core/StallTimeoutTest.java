package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stuck reservations in process memory: how long the consumer has been blocked is visible, the opt-in stall timeout
 * abandons the stuck record (counted, its late commit fails and says why), and an ended stream counts as drained
 * at a record stuck for the stall timeout, so that a graceful shutdown never hangs.
 */
class StallTimeoutTest {

    private static final Duration STALL = Duration.ofMillis(100);

    private static List<Long> drainLongs(RingBuffer ring) {
        List<Long> seen = new ArrayList<>();
        ring.consume(record -> seen.add(record.getLong(0)));
        return seen;
    }

    private static void outputLong(RingBuffer ring, long value) {
        assertThat(ring.output(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(0, value))).isTrue();
    }

    @Test
    void withoutAStallTimeoutAStuckRecordBlocksForEverAndSaysHowLong() {
        RingBuffer ring = RingBuffer.builder().capacity(4096).build();
        assertThat(ring.stallTimeout()).isEmpty();
        assertThat(ring.abandonedRecords()).isZero();
        outputLong(ring, 1);
        Reservation stuck = ring.reserve(8);
        outputLong(ring, 3);
        assertThat(drainLongs(ring)).containsExactly(1L);
        assertThat(ring.blockedNanos()).as("blocked once the consumer stopped at it").isPositive();
        long first = ring.blockedNanos();
        TestSupport.awaitCondition("the blocked time grows", () -> ring.blockedNanos() > first);
        assertThat(drainLongs(ring)).isEmpty();
        stuck.putLong(0, 2).commit();
        assertThat(drainLongs(ring)).containsExactly(2L, 3L);
        assertThat(ring.blockedNanos()).as("no longer blocked").isZero();
    }

    @Test
    void theStallTimeoutAbandonsTheStuckRecordAndItsLateCommitFailsSayingWhy() throws Exception {
        RingBuffer ring = RingBuffer.builder().name("stalled").capacity(4096).stallTimeout(STALL).build();
        assertThat(ring.stallTimeout()).contains(STALL);
        outputLong(ring, 1);
        Reservation stuck = ring.reserve(8);
        outputLong(ring, 3);
        assertThat(drainLongs(ring)).containsExactly(1L);
        long start = System.nanoTime();
        assertThat(ring.awaitData(Duration.ofSeconds(30))).as("awaitData returns at the stall timeout").isTrue();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(20).toNanos());
        assertThat(ring.blockedNanos()).isGreaterThanOrEqualTo(STALL.toNanos());
        assertThat(drainLongs(ring)).as("the records behind the stuck one").containsExactly(3L);
        assertThat(ring.abandonedRecords()).isEqualTo(1);
        assertThat(ring.discardedRecords()).as("abandoned is not discarded").isZero();
        assertThatThrownBy(() -> stuck.putLong(0, 2).commit()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ring 'stalled'").hasMessageContaining("abandoned")
                .hasMessageContaining("stall timeout of 100 ms");
        TestSupport.assertUsableAndIntact(ring);
    }

    @Test
    void aLateCommitNeverLandsOnANewerRecordAtTheSameOffset() throws Exception {
        RingBuffer ring = RingBuffer.builder().capacity(64).maxRecordSize(16).stallTimeout(STALL).build();
        Reservation stuck = ring.reserve(8); // 16 bytes at offset 0
        assertThat(ring.awaitData(Duration.ZERO)).isFalse();
        assertThat(drainLongs(ring)).isEmpty();
        assertThat(ring.awaitData(Duration.ofSeconds(30))).isTrue();
        assertThat(drainLongs(ring)).isEmpty();
        assertThat(ring.abandonedRecords()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            outputLong(ring, 10 + i); // 48 bytes: the ring wraps, the next record is at offset 0 again
        }
        assertThat(drainLongs(ring)).containsExactly(10L, 11L, 12L);
        Reservation newer = ring.reserve(8); // position 64: offset 0, the same busy header but for the lap tag
        assertThat(newer.offset()).isEqualTo(stuck.offset());
        assertThatThrownBy(stuck::commit).isInstanceOf(IllegalStateException.class);
        assertThat(drainLongs(ring)).as("the newer record is still busy, not committed by the late one").isEmpty();
        newer.putLong(0, 99).commit();
        assertThat(drainLongs(ring)).containsExactly(99L);
    }

    @Test
    void aLatePayloadWriteOverANewerHeaderIsReportedAsCorruptionNotFollowed() throws Exception {
        RingBuffer ring = RingBuffer.builder().name("late").capacity(64).maxRecordSize(40).stallTimeout(STALL)
                .build();
        Reservation stuck = ring.reserve(40); // offsets 0..48: payload 8..48
        assertThat(drainLongs(ring)).isEmpty();
        assertThat(ring.awaitData(Duration.ofSeconds(30))).isTrue();
        assertThat(drainLongs(ring)).isEmpty();
        assertThat(ring.abandonedRecords()).isEqualTo(1);
        outputLong(ring, 1); // position 48
        outputLong(ring, 2); // position 64: offset 0
        outputLong(ring, 3); // position 80: offset 16, inside the stuck record's old payload
        // The stalled producer writes on: its put is refused (checked against its own header)...
        assertThatThrownBy(() -> stuck.putLong(8, RingLayout.header(RingLayout.STATE_COMMITTED, 8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("abandoned");
        // ...but a put that passed its check just before the abandonment lands late: a well-formed header for lap 0
        // on the lap-1 record at offset 16 (written raw, as that put would).
        ring.buffer().putLong(stuck.offset() + 8, RingLayout.header(RingLayout.STATE_COMMITTED, 8));
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> ring.consume(record -> seen.add(record.getLong(0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ring 'late' is corrupted")
                .hasMessageContaining("lap tag");
        assertThat(seen).containsExactly(1L, 2L);
    }

    @Test
    void anEndedStreamIsDrainedAtARecordStuckForTheStallTimeoutAndTheRecordsBehindItAreNotDelivered() {
        // A ring that does not abandon, with a short stall timeout for its ended stream (the builder has no such
        // setting: in process, stallTimeout(..) means abandoning); assembled as build() does.
        int max = RingLayout.defaultMaxRecordSize(4096);
        RingBuffer ring = RingKinds.inProcess("ring", RingRegion.allocate(4096, max, STALL.toNanos(), false), 4096, max,
                STALL.toNanos(), false, false);
        outputLong(ring, 1);
        Reservation stuck = ring.reserve(8);
        outputLong(ring, 3);
        ring.close();
        assertThat(drainLongs(ring)).containsExactly(1L);
        assertThat(ring.isClosedAndDrained()).as("a reservation made before close may still commit").isFalse();
        TestSupport.awaitCondition("the stuck record reaches the stall timeout",
                () -> ring.blockedNanos() >= STALL.toNanos());
        assertThat(ring.isClosedAndDrained()).isTrue();
        assertThat(ring.abandonedRecords()).as("nothing abandoned: this ring does not abandon").isZero();
        assertThat(ring.availableData()).as("the stuck record and the one behind it stay").isEqualTo(32);
        stuck.commit(); // harmless: nobody reads it any more
    }

    @Test
    void anEndedStreamWithAStallTimeoutDeliversTheRecordsBehindTheAbandonedOne() throws Exception {
        RingBuffer ring = RingBuffer.builder().capacity(4096).stallTimeout(STALL).build();
        outputLong(ring, 1);
        ring.reserve(8);
        outputLong(ring, 3);
        ring.close();
        List<Long> seen = new ArrayList<>(drainLongs(ring));
        while (!ring.isClosedAndDrained()) {
            assertThat(ring.awaitData(Duration.ofSeconds(30)) || ring.isClosedAndDrained()).isTrue();
            seen.addAll(drainLongs(ring));
        }
        assertThat(seen).containsExactly(1L, 3L);
        assertThat(ring.abandonedRecords()).isEqualTo(1);
    }

    @Test
    void aGroupsAwaitDataReturnsWhenAMemberReachesItsStallTimeout() throws Exception {
        RingBuffer stalled = RingBuffer.builder().name("stalled").capacity(4096).stallTimeout(STALL).build();
        RingBuffer other = RingBuffer.builder().name("other").capacity(4096).build();
        RingGroup group = RingGroup.of(stalled, other);
        stalled.reserve(8);
        outputLong(stalled, 2);
        List<String> seen = new ArrayList<>();
        assertThat(group.consume((ring, record) -> seen.add(ring.name() + ":" + record.getLong(0)))).isZero();
        long start = System.nanoTime();
        assertThat(group.awaitData(Duration.ofSeconds(30))).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(20).toNanos());
        group.consume((ring, record) -> seen.add(ring.name() + ":" + record.getLong(0)));
        assertThat(seen).containsExactly("stalled:2");
        assertThat(stalled.abandonedRecords()).isEqualTo(1);
        group.close();
    }

    @Test
    void theStallTimeoutMustBePositive() {
        assertThatThrownBy(() -> RingBuffer.builder().stallTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
