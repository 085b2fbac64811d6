package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's ringbuf selftest scenarios (tools/testing/selftests/bpf/prog_tests/ringbuf.c), re-expressed. */
class KernelSelftestTest extends ContractSuite {

    private static final int SAMPLE = 32; // rec(32) = 40

    @Test
    void submitDiscardOutputAccounting() {
        RingBuffer ring = ring(4096);

        try (Reservation r = ring.reserve(SAMPLE)) {
            r.putLong(0, 333).putLong(8, 1111);
            r.commit();
        }
        try (Reservation r = ring.reserve(SAMPLE)) {
            r.putLong(0, 777);
            r.discard();
        }
        byte[] third = new byte[SAMPLE];
        third[0] = 42;
        assertThat(ring.output(third)).isTrue();

        assertThat(ring.availableData()).isEqualTo(120);
        assertThat(ring.capacity()).isEqualTo(4096);
        assertThat(ring.consumerPosition()).isZero();
        assertThat(ring.producerPosition()).isEqualTo(120);

        List<Long> firstLongs = new ArrayList<>();
        int n = ring.consume(record -> firstLongs.add(record.getLong(0)));

        assertThat(n).isEqualTo(2);
        assertThat(firstLongs).containsExactly(333L, 42L);
        assertThat(ring.consumerPosition()).isEqualTo(120);
        assertThat(ring.availableData()).isZero();
        assertThat(ring.consumedRecords()).isEqualTo(2);
        assertThat(ring.discardedRecords()).isEqualTo(1);
        assertThat(ring.producerPosition()).isEqualTo(120);
        assertThat(ring.readPosition()).isEqualTo(120);
        assertThat(ring.droppedRecords()).isZero();
        // Only the first commit found the consumer caught up (read position 0 == its position): one wakeup.
        assertThat(ring.wakeups()).isEqualTo(1);
    }

    @Test
    void noWakeupThenForcedWakeup() {
        // The selftest's flag scenario: two samples with BPF_RB_NO_WAKEUP wake nobody; a forced one wakes.
        // (That the in-process listener then runs exactly once is InProcessOnlyTest's.)
        RingBuffer ring = ring(4096);
        ring.reserve(SAMPLE).commit(Wakeup.NONE);
        ring.output(new byte[SAMPLE], 0, SAMPLE, Wakeup.NONE);
        assertThat(ring.wakeups()).isZero();
        assertThat(ring.availableData()).isEqualTo(80);
        ring.output(new byte[SAMPLE], 0, SAMPLE, Wakeup.FORCE);
        assertThat(ring.wakeups()).isEqualTo(1);
        assertThat(ring.consume(record -> { })).isEqualTo(3);
        assertThat(ring.consumerPosition()).isEqualTo(120);
    }

    @Test
    void consumeNReturnsExactlyN() {
        RingBuffer ring = ring(4096);
        for (int i = 0; i < 32; i++) {
            try (Reservation r = ring.reserve(SAMPLE)) {
                r.putLong(0, i).commit(Wakeup.NONE);
            }
        }
        List<Long> seen = new ArrayList<>();
        for (int batch = 0; batch < 8; batch++) {
            assertThat(ring.consume(record -> seen.add(record.getLong(0)), 4)).isEqualTo(4);
        }
        assertThat(ring.consume(record -> seen.add(record.getLong(0)), 4)).isZero();
        assertThat(seen).hasSize(32).isSorted();
    }

    @Test
    void handlerFailureConsumesThatRecordOnly() {
        RingBuffer ring = ring(4096);
        for (int i = 0; i < 3; i++) {
            ring.output(new byte[] {(byte) i});
        }
        assertThatThrownBy(() -> ring.consume(record -> {
            if (record.getByte(0) == 1) {
                throw new IllegalArgumentException("boom");
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
        List<Byte> rest = new ArrayList<>();
        assertThat(ring.consume(record -> rest.add(record.getByte(0)))).isEqualTo(1);
        assertThat(rest).containsExactly((byte) 2);
        assertThat(ring.consumedRecords()).isEqualTo(3);
    }
}
