package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: {@code claim}, writes into {@code buffer()}, {@code commit(offset)},
 * {@code output(byte[])} and {@code consume} after warm-up, measured with the thread's own allocation counter. The measurement is repeated and
 * the best round is kept, so that a one-off allocation by the runtime (a JIT deoptimisation, a class initialised
 * late) does not fail the test; a real allocation per record shows in every round as at least one object per record.
 */
class AllocationTest {

    private static final int RECORDS_PER_ROUND = 20_000;

    private static final byte[] PAYLOAD = new byte[20];

    private long sum;

    @Test
    void claimCommitOutputAndConsumeAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot's allocation counter is available");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counting is supported");
        threads.setThreadAllocatedMemoryEnabled(true);

        RingBuffer ring = RingBuffer.builder().capacity(1 << 12).maxRecordSize(256).build();
        ByteBuffer memory = ring.buffer();
        RecordHandler handler = record -> sum += record.getLong(0) + record.getInt(8) + record.length();

        for (int i = 0; i < 200_000; i++) { // warm-up: let the JIT compile the path
            round(ring, memory, handler, i);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5 && best > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < RECORDS_PER_ROUND; i++) {
                round(ring, memory, handler, i);
            }
            long after = threads.getCurrentThreadAllocatedBytes();
            best = Math.min(best, after - before);
        }
        assertThat(best).as("bytes allocated for %d records", RECORDS_PER_ROUND).isZero();
        assertThat(sum).isNotZero();
        assertThat(ring.consumedRecords()).isEqualTo(ring.producerPosition() / 32);
    }

    private static void round(RingBuffer ring, ByteBuffer memory, RecordHandler handler, int i) {
        if ((i & 2) == 0) {
            int offset = ring.claim(17 + (i & 7)); // sizes 17..24: 32 bytes in the ring each
            if (offset == RingBuffer.CLAIM_FAILED) {
                throw new AssertionError("the ring is drained every record, it cannot be full");
            }
            memory.putLong(offset, i);
            memory.putInt(offset + 8, i);
            ring.commit(offset, (i & 1) == 0 ? Wakeup.DEFAULT : Wakeup.NONE);
        } else if (!ring.output(PAYLOAD, (i & 1) == 0 ? Wakeup.DEFAULT : Wakeup.FORCE)) { // 20 bytes: 32 in the ring
            throw new AssertionError("the ring is drained every record, it cannot be full");
        }
        if (ring.consume(handler) != 1) {
            throw new AssertionError("one record in, one record out");
        }
    }
}
