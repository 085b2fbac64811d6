package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Java produces into a {@code BPF_MAP_TYPE_USER_RINGBUF}; a BPF program drains it with {@code bpf_user_ringbuf_drain}
 * and echoes each sample's first 8 bytes into a kernel ring that Java consumes: order, discards, head-of-line, full.
 */
class KernelUserRingBufferTest {

    private KernelUserRingBuffer user;
    private KernelRingBuffer echo;
    private int program = -1;

    @BeforeEach
    void setUp() {
        KernelRings.assumeAvailable();
        user = KernelUserRingBuffer.create(4096, "rb_user");
        echo = KernelRingBuffer.create(1 << 16, "rb_echo");
        program = TestPrograms.userRingDrain(user.fd(), echo.fd());
    }

    @AfterEach
    void tearDown() {
        if (program >= 0) {
            Bpf.close(program);
        }
        if (echo != null) {
            echo.close();
        }
        if (user != null) {
            user.close();
        }
    }

    private int drain() {
        return BpfPrograms.testRun(program, TestPrograms.packet(64), 1).returnValue();
    }

    private List<Long> echoed() {
        final List<Long> seen = new ArrayList<>();
        echo.consume(record -> seen.add(record.getLong(0)));
        return seen;
    }

    @Test
    void submittedRecordsAreDrainedInOrderAndDiscardedOnesSkipped() {
        for (long i = 1; i <= 5; i++) {
            final long at = user.claim(16);
            user.putLong(at, 0, i * 100).putInt(at, 8, 7).putByte(at, 15, (byte) 1);
            if (i == 3) {
                user.discard(at);
            } else {
                user.submit(at);
            }
        }
        assertThat(user.producerPosition()).isEqualTo(5 * 24);

        assertThat(drain()).as("samples drained (the discarded one is not counted)").isEqualTo(4);
        assertThat(echoed()).containsExactly(100L, 200L, 400L, 500L);
        assertThat(user.consumerPosition()).isEqualTo(5 * 24);
    }

    @Test
    void theDrainStopsAtABusyRecordUntilItIsSubmitted() {
        final long first = user.claim(8);
        user.putLong(first, 0, 1);
        final long second = user.claim(8);
        user.putLong(second, 0, 2);
        user.submit(second); // committed out of order

        assertThat(drain()).isZero();
        assertThat(echoed()).isEmpty();

        user.submit(first);
        assertThat(drain()).isEqualTo(2);
        assertThat(echoed()).containsExactly(1L, 2L);
    }

    @Test
    void aFullRingRefusesAndCountsAndADrainFreesTheSpace() {
        final byte[] payload = new byte[120]; // 128 bytes a record: 32 fill 4096
        int accepted = 0;
        for (int i = 0; i < 40; i++) {
            payload[0] = (byte) i;
            if (user.output(payload)) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(32);
        assertThat(user.recordsDropped()).isEqualTo(8);

        assertThat(drain()).isEqualTo(32);
        assertThat(echoed()).hasSize(32).first().isEqualTo(0L);
        assertThat(user.output(payload)).as("space given back by the drain").isTrue();
    }

    @Test
    void badUseIsRefusedClearlyAndTheRingStaysUsable() {
        assertThatThrownBy(() -> user.claim(4096 - 7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("record size 4089 must be between 0 and 4088");
        final long at = user.claim(8);
        assertThatThrownBy(() -> user.putLong(at, 4, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 4 with size 8");
        user.submit(at);
        assertThatThrownBy(() -> user.submit(at)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a live reservation");
        assertThatThrownBy(() -> user.putLong(at, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> user.discard(12345)).isInstanceOf(IllegalStateException.class);
        assertThat(drain()).isEqualTo(1);

        final int kernelRing = Bpf.createRingBuffer(4096, "rb_not_user");
        try {
            assertThatThrownBy(() -> KernelUserRingBuffer.open(kernelRing)).isInstanceOf(BpfException.class)
                    .hasMessageContaining("is a BPF_MAP_TYPE_RINGBUF, not a BPF_MAP_TYPE_USER_RINGBUF");
        } finally {
            Bpf.close(kernelRing);
        }
        user.close();
        assertThatThrownBy(() -> user.claim(8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
