package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API a retrying producer and a handing-over consumer build on: {@code tryClaim} tells full from closed and counts
 * neither, {@code countDrop} counts a record given up on (waiting for space in turn: {@link SpaceWaiterTest}), and
 * {@code rewindRead} makes read-but-unreleased records come again, in order.
 */
class ProducerRetryApiTest extends ContractSuite {

    private static final int RECORD = 16; // 8 header + 8 payload

    @Test
    void tryClaimTellsFullFromClosedAndCountsNeither() {
        RingBuffer ring = ring(64); // 3 records of 16 bytes (a ring holds capacity - 1 bytes)
        ByteBuffer buffer = ring.buffer();
        for (long i = 0; i < 3; i++) {
            int offset = ring.tryClaim(8);
            assertThat(offset).isNotNegative();
            buffer.putLong(offset, i);
            ring.commit(offset);
        }
        assertThat(ring.tryClaim(8)).isEqualTo(RingBuffer.CLAIM_FULL);
        assertThat(ring.droppedRecords()).isZero();
        ring.countDrop(DropReason.FULL);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(1);

        ring.endStream();
        assertThat(ring.tryClaim(8)).isEqualTo(RingBuffer.CLAIM_CLOSED);
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isZero();
        assertThat(RingBuffer.CLAIM_FULL).isEqualTo(RingBuffer.CLAIM_FAILED);
        assertThatThrownBy(() -> ring.tryClaim(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record size -1");
    }

    @Test
    void rewindReadDeliversReadButUnreleasedRecordsAgainInOrder() {
        RingBuffer ring = ring(1024);
        for (long i = 0; i < 5; i++) {
            ring.output(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, i));
        }
        List<Long> seen = new ArrayList<>();
        assertThat(ring.read(record -> seen.add(record.getLong(0)), 3)).isEqualTo(3);
        ring.releaseTo(RECORD); // record 0 released; 1 and 2 read, not released
        ring.rewindRead();
        assertThat(ring.readPosition()).isEqualTo(RECORD);
        assertThat(ring.consume(record -> seen.add(record.getLong(0)))).isEqualTo(4);
        assertThat(seen).containsExactly(0L, 1L, 2L, 1L, 2L, 3L, 4L);
    }
}
