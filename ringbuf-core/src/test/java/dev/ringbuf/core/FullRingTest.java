package dev.ringbuf.core;

import static dev.ringbuf.core.TestSupport.patternBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fail rule: a reservation fails iff {@code newProducerPosition - consumerPosition > C - 1}. */
class FullRingTest extends ContractSuite {

    private static long rec(int size) {
        return (size + 8 + 7) & -8L;
    }

    @Test
    void holdsAtMostCapacityMinusEightBytes() {
        RingBuffer ring = ring(4096);
        int accepted = 0;
        while (ring.output(new byte[0])) { // 8-byte records
            accepted++;
        }
        assertThat(accepted).isEqualTo(4096 / 8 - 1);
        assertThat(ring.availableData()).isEqualTo(4096 - 8);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(1);
        assertThat(ring.reserve(0)).isNull();
        assertThat(ring.claim(0)).isEqualTo(RingBuffer.CLAIM_FAILED);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(3);
        assertThat(ring.droppedRecords()).isEqualTo(3);
        assertThat(ring.producerPosition()).as("a failed reservation does not move the producer").isEqualTo(4088);

        // Space comes back when the consumer passes records, and only then.
        assertThat(ring.consume(record -> { }, 1)).isEqualTo(1);
        assertThat(ring.output(new byte[0])).isTrue();
        assertThat(ring.output(new byte[0])).isFalse();
        assertThat(ring.consume(record -> { })).isEqualTo(4096 / 8 - 1);
        assertThat(ring.output(new byte[4096 / 4])).isTrue();
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(4);
        assertThat(ring.consumedRecords()).isEqualTo(4096 / 8);
    }

    @Test
    void failsExactlyWhenTheLeadWouldExceedCapacityMinusOne() {
        // A model of the positions predicts every outcome: random sizes, random consume batches, many laps.
        final int capacity = 4096;
        RingBuffer ring = ring(RingBuffer.builder().capacity(capacity).maxRecordSize(capacity - 16));
        SplittableRandom random = new SplittableRandom(42);
        long producer = 0;
        long consumer = 0;
        long fullDrops = 0;
        Deque<long[]> queued = new ArrayDeque<>(); // {position, size}
        int boundaryHits = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(10) < 7) {
                int size = random.nextInt(4) == 0 ? random.nextInt(capacity - 15) : random.nextInt(200);
                long next = producer + rec(size);
                boolean fits = next - consumer <= capacity - 1;
                boundaryHits += next - consumer == capacity - 8 ? 1 : 0;
                boolean ok;
                if (random.nextBoolean()) {
                    ok = ring.output(patternBytes(producer, size, size));
                } else {
                    Reservation r = ring.reserve(size);
                    ok = r != null;
                    if (ok) {
                        r.putBytes(0, patternBytes(producer, size, size), 0, size).commit();
                    }
                }
                assertThat(ok).as("step %d: size %d, lead after %d", step, size, next - consumer).isEqualTo(fits);
                if (fits) {
                    queued.add(new long[] {producer, size});
                    producer = next;
                } else {
                    fullDrops++;
                }
            } else {
                int limit = 1 + random.nextInt(5);
                int expected = Math.min(limit, queued.size());
                int n = ring.consume(record -> {
                    long[] head = queued.poll();
                    assertThat(record.position()).isEqualTo(head[0]);
                    assertThat(record.toByteArray()).isEqualTo(patternBytes(head[0], (int) head[1], (int) head[1]));
                }, limit);
                assertThat(n).isEqualTo(expected);
                consumer = queued.isEmpty() ? producer : queued.peek()[0];
            }
            assertThat(ring.producerPosition()).isEqualTo(producer);
            assertThat(ring.consumerPosition()).isEqualTo(consumer);
            assertThat(ring.availableData()).isEqualTo(producer - consumer).isLessThanOrEqualTo(capacity - 8);
            assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(fullDrops);
        }
        assertThat(fullDrops).as("the ring was full many times").isGreaterThan(100);
        assertThat(producer).as("many laps").isGreaterThan(50L * capacity);
        assertThat(boundaryHits).as("reservations that fill the ring to exactly C - 8").isPositive();
    }

    @Test
    void busyAndDiscardedRecordsHoldTheirSpaceUntilPassed() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(256).maxRecordSize(200));
        Reservation busy = ring.reserve(100);    // 112 bytes
        Reservation gone = ring.reserve(100);    // 112 bytes
        gone.discard();
        assertThat(ring.availableData()).isEqualTo(224);
        assertThat(ring.reserve(24)).as("224 + 32 > 255").isNull();
        assertThat(ring.reserve(16)).as("224 + 24 <= 255").isNotNull().satisfies(Reservation::commit);
        assertThat(ring.consume(record -> { })).as("head of line: the busy record blocks").isZero();
        assertThat(ring.reserve(0)).isNull();
        busy.commit();
        assertThat(ring.consume(record -> { })).isEqualTo(2);
        assertThat(ring.discardedRecords()).isEqualTo(1);
        assertThat(ring.reserve(200)).isNotNull().satisfies(Reservation::discard);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(2);
    }
}
