package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reservation order is delivery order: discards are skipped, later commits wait for an earlier busy record. */
class OrderingTest extends ContractSuite {

    private static List<Long> consumeLongs(RingBuffer ring) {
        List<Long> seen = new ArrayList<>();
        ring.consume(record -> seen.add(record.getLong(0)));
        return seen;
    }

    @Test
    void outOfOrderCommitsAreDeliveredInReservationOrder() {
        RingBuffer ring = ring(4096);
        Reservation a = ring.reserve(8).putLong(0, 1);
        Reservation b = ring.reserve(8).putLong(0, 2);
        Reservation c = ring.reserve(8).putLong(0, 3);
        c.commit();
        b.commit();
        assertThat(ring.isRecordReady()).isFalse();
        assertThat(consumeLongs(ring)).as("head of line: a is busy").isEmpty();
        assertThat(ring.consumerPosition()).isZero();
        assertThat(ring.readPosition()).isZero();
        a.commit();
        assertThat(ring.isRecordReady()).isTrue();
        assertThat(consumeLongs(ring)).containsExactly(1L, 2L, 3L);
        assertThat(ring.consumerPosition()).isEqualTo(48);
    }

    @Test
    void consumerStopsAtTheFirstBusyRecordAndResumesThere() {
        RingBuffer ring = ring(4096);
        ring.output(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
        int offset = ring.claim(8);
        ring.output(new byte[] {3, 0, 0, 0, 0, 0, 0, 0});
        assertThat(consumeLongs(ring)).containsExactly(1L);
        assertThat(ring.consumerPosition()).isEqualTo(16).isEqualTo(ring.readPosition());
        ring.buffer().putLong(offset, 2);
        ring.commit(offset);
        assertThat(consumeLongs(ring)).containsExactly(2L, 3L);
    }

    @Test
    void discardedRecordsAreSkippedWherever_theyAre() {
        RingBuffer ring = ring(4096);
        Reservation first = ring.reserve(8).putLong(0, 1);
        Reservation second = ring.reserve(8).putLong(0, 2);
        Reservation third = ring.reserve(8).putLong(0, 3);
        Reservation fourth = ring.reserve(8).putLong(0, 4);
        fourth.discard();
        second.discard();
        third.commit();
        assertThat(consumeLongs(ring)).isEmpty();
        first.discard();
        assertThat(consumeLongs(ring)).containsExactly(3L);
        assertThat(ring.discardedRecords()).isEqualTo(3);
        assertThat(ring.consumedRecords()).isEqualTo(1);
        assertThat(ring.consumerPosition()).isEqualTo(64);
    }

    @Test
    void onlyDiscardedRecordsMakeTheRingReadyButDeliverNothing() {
        RingBuffer ring = ring(4096);
        ring.reserve(10).discard();
        assertThat(ring.isRecordReady()).as("the consumer has a record to pass").isTrue();
        assertThat(ring.consume(record -> { })).isZero();
        assertThat(ring.consumerPosition()).isEqualTo(24);
        assertThat(ring.isRecordReady()).isFalse();
    }

    @Test
    void consumeWithLimitCountsDeliveredRecordsOnly() {
        RingBuffer ring = ring(4096);
        for (int i = 0; i < 10; i++) {
            Reservation r = ring.reserve(8).putLong(0, i);
            if (i % 2 == 0) {
                r.discard();
            } else {
                r.commit();
            }
        }
        List<Long> seen = new ArrayList<>();
        assertThat(ring.consume(record -> seen.add(record.getLong(0)), 2)).isEqualTo(2);
        assertThat(seen).containsExactly(1L, 3L);
        assertThat(ring.consume(record -> seen.add(record.getLong(0)), 100)).isEqualTo(3);
        assertThat(seen).containsExactly(1L, 3L, 5L, 7L, 9L);
    }

    @Test
    void readDeliversWithoutFreeingAndReleaseToFrees() {
        RingBuffer ring = ring(4096);
        for (long i = 0; i < 4; i++) {
            ring.reserve(8).putLong(0, i).commit();
        }
        List<Long> positions = new ArrayList<>();
        assertThat(ring.read(record -> positions.add(record.position()), 3)).isEqualTo(3);
        assertThat(positions).containsExactly(0L, 16L, 32L);
        assertThat(ring.readPosition()).isEqualTo(48);
        assertThat(ring.consumerPosition()).isZero();
        assertThat(ring.availableData()).as("read records still hold their space").isEqualTo(64);
        ring.releaseTo(16);
        assertThat(ring.consumerPosition()).isEqualTo(16);
        assertThat(ring.read(record -> positions.add(record.position()), 10)).isEqualTo(1);
        ring.releaseTo(64);
        assertThat(ring.consumerPosition()).isEqualTo(64);
        assertThat(ring.availableData()).isZero();
        assertThat(ring.consumedRecords()).isEqualTo(4);
    }

    @Test
    void reservationCloseDiscardsOnlyALiveReservation() {
        RingBuffer ring = ring(4096);
        try (Reservation r = ring.reserve(8)) {
            r.putLong(0, 1).commit();
            assertThat(r.isLive()).isFalse();
        }
        try (Reservation r = ring.reserve(8)) {
            r.putLong(0, 2);
            assertThat(r.isLive()).isTrue();
        }
        assertThat(consumeLongs(ring)).containsExactly(1L);
        assertThat(ring.discardedRecords()).isEqualTo(1);
    }
}
