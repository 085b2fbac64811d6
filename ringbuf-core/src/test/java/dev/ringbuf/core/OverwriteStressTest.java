package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Producers overwriting a small overwrite-mode ring while a slow consumer reads it, in each variant, bounded in time:
 * every delivered record is intact (its pattern checks out), stays intact until its handler returns (read again at
 * the end of the handler), arrives in order per producer and at most once, and afterwards
 * {@code delivered + overwritten + discarded == committed + discarded} exactly.
 */
class OverwriteStressTest extends ContractSuite {

    /** An overwrite ring never abandons (the builder refuses overwrite with a stall timeout): the two memories only. */
    @BeforeEach
    void overwriteKindsOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(variant != RingVariant.IN_PROCESS_STALL_TIMEOUT,
                "overwrite rings come in process memory and in ring files");
    }

    private static final int PRODUCERS = 3;
    private static final int CAPACITY = 4096;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    /** Byte 0: producer; bytes 1..8: sequence; the rest a pattern of both. Size 9..200. */
    private static byte[] payload(int producer, long seq) {
        int size = 9 + (int) Math.floorMod(seq * 31 + producer * 7, 192);
        byte[] bytes = TestSupport.patternBytes(producer, seq, size);
        bytes[0] = (byte) producer;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(1, seq);
        return bytes;
    }

    @Test
    void everyDeliveredRecordIsIntactInOrderAndAccountedFor() throws Exception {
        RingBuffer ring = ring(RingBuffer.builder().capacity(CAPACITY).maxRecordSize(256).overwrite(true));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] committed = new long[PRODUCERS];
        long[] discarded = new long[PRODUCERS];
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            final int id = p;
            Thread thread = new Thread(() -> {
                try {
                    for (long seq = 0; !stop.get(); seq++) {
                        byte[] bytes = payload(id, seq);
                        if (seq % 13 == 0) {
                            try (Reservation r = ring.reserve(bytes.length)) {
                                if (r != null) {
                                    r.discard(Wakeup.NONE);
                                    discarded[id]++;
                                }
                            }
                        } else if (seq % 2 == 0) {
                            try (Reservation r = ring.reserve(bytes.length)) {
                                if (r != null) {
                                    r.putBytes(0, bytes, 0, bytes.length).commit(Wakeup.NONE);
                                    committed[id]++;
                                }
                            }
                        } else if (ring.output(bytes, Wakeup.NONE)) {
                            committed[id]++;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "overwrite-producer-" + p);
            producers.add(thread);
        }
        long[] lastSeq = new long[PRODUCERS];
        Arrays.fill(lastSeq, -1);
        long[] delivered = new long[1];
        RecordHandler check = record -> {
            byte[] first = record.toByteArray();
            int producer = first[0];
            long seq = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getLong(1);
            assertThat(producer).isBetween(0, PRODUCERS - 1);
            assertThat(first).as("record %d of producer %d is intact", seq, producer)
                    .isEqualTo(payload(producer, seq));
            assertThat(seq).as("producer %d in order, never twice", producer).isGreaterThan(lastSeq[producer]);
            lastSeq[producer] = seq;
            // Slow handler: work on the bytes, then check they did not change under us.
            long sum = 0;
            for (int round = 0; round < 20; round++) {
                for (byte b : first) {
                    sum = sum * 31 + b;
                }
            }
            assertThat(record.toByteArray()).as("still intact when the handler ends (%d)", sum).isEqualTo(first);
            delivered[0]++;
        };
        producers.forEach(Thread::start);
        long deadline = System.nanoTime() + RUN_NANOS;
        try {
            while (System.nanoTime() < deadline && failure.get() == null) {
                ring.consume(check, 16);
            }
        } finally {
            stop.set(true);
        }
        for (Thread thread : producers) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(failure.get()).isNull();
        while (ring.consume(check) > 0) {
            // drain what is left
        }
        assertThat(ring.readPosition()).isEqualTo(ring.producerPosition());
        long totalCommitted = Arrays.stream(committed).sum();
        long totalDiscarded = Arrays.stream(discarded).sum();
        assertThat(ring.consumedRecords()).isEqualTo(delivered[0]);
        assertThat(ring.overwrittenRecords()).as("the ring was overwritten").isPositive();
        assertThat(delivered[0]).as("the consumer read some").isPositive();
        assertThat(ring.consumedRecords() + ring.overwrittenRecords() + ring.discardedRecords())
                .as("delivered + overwritten + discarded == finished")
                .isEqualTo(totalCommitted + totalDiscarded);
    }
}
