package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * N waiting producers across M rings into one group consumer, under contention and wrap-around: every record
 * delivered exactly once, each producer's order kept in each ring, nothing dropped, and each ring's share of the
 * batches that hit the limit (all rings backlogged) measured and asserted loosely.
 */
class RingGroupStressTest extends ContractSuite {

    private static final int PRODUCERS = 4;
    private static final int RINGS = 3;
    private static final int PER_PRODUCER = 20_000;
    private static final int LIMIT = 48;
    private static final int BATCH_PER_RING = 16;

    @Test
    void nProducersAcrossMRingsIntoOneGroupConsumer() throws Exception {
        List<RingBuffer> rings = new ArrayList<>();
        RingGroup group = RingGroup.create(BATCH_PER_RING);
        for (int r = 0; r < RINGS; r++) {
            RingBuffer ring = ring(RingBuffer.builder().name("shard-" + r).capacity(2048).maxRecordSize(64));
            rings.add(ring);
            group.add(ring);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int id = p;
            Thread producer = new Thread(() -> {
                byte[] payload = new byte[16];
                try {
                    for (int seq = 0; seq < PER_PRODUCER; seq++) {
                        payload[0] = (byte) id;
                        payload[4] = (byte) seq;
                        payload[5] = (byte) (seq >>> 8);
                        payload[6] = (byte) (seq >>> 16);
                        if (!rings.get((seq + id) % RINGS).output(payload, Duration.ofSeconds(60))) {
                            throw new AssertionError("producer " + id + " gave up record " + seq);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + p);
            producer.setDaemon(true);
            producers.add(producer);
        }
        producers.forEach(Thread::start);

        BitSet[] seen = new BitSet[PRODUCERS];
        int[][] last = new int[RINGS][PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            seen[p] = new BitSet(PER_PRODUCER);
        }
        for (int[] row : last) {
            java.util.Arrays.fill(row, -1);
        }
        long[] saturatedShare = new long[RINGS];
        int[] perCall = new int[RINGS];
        long total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (total < (long) PRODUCERS * PER_PRODUCER) {
            assertThat(failure.get()).isNull();
            assertThat(System.nanoTime() - deadline).as("consumed in time").isNegative();
            java.util.Arrays.fill(perCall, 0);
            int delivered = group.consume((ring, record) -> {
                int r = rings.indexOf(ring);
                int p = record.getByte(0);
                int seq = (record.getByte(4) & 0xFF) | (record.getByte(5) & 0xFF) << 8
                        | (record.getByte(6) & 0xFF) << 16;
                assertThat(seq).as("producer %d's order in ring %d", p, r).isGreaterThan(last[r][p]);
                last[r][p] = seq;
                assertThat(seen[p].get(seq)).as("record %d of producer %d delivered once", seq, p).isFalse();
                seen[p].set(seq);
                perCall[r]++;
            }, LIMIT);
            total += delivered;
            if (delivered == LIMIT) {
                for (int r = 0; r < RINGS; r++) {
                    saturatedShare[r] += perCall[r];
                }
            } else if (delivered == 0) {
                group.awaitData(Duration.ofMillis(10));
            }
        }
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failure.get()).isNull();
        for (int p = 0; p < PRODUCERS; p++) {
            assertThat(seen[p].cardinality()).as("producer %d's records", p).isEqualTo(PER_PRODUCER);
        }
        long saturated = 0;
        for (long share : saturatedShare) {
            saturated += share;
        }
        for (int r = 0; r < RINGS; r++) {
            RingBuffer ring = rings.get(r);
            assertThat(ring.droppedRecords()).as("%s dropped nothing", ring.name()).isZero();
            double share = saturated == 0 ? 1.0 / RINGS : (double) saturatedShare[r] / saturated;
            System.out.printf("%s: %s share of full batches %.3f (ideal %.3f, %d records in full batches)%n",
                    variant, ring.name(), share, 1.0 / RINGS, saturated);
            assertThat(share).as("%s's share of the batches that hit the limit", ring.name())
                    .isBetween(0.5 / RINGS, 1.5 / RINGS);
        }
        group.close();
    }
}
