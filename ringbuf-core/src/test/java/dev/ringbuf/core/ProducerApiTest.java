package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The producer paths' details: what each writes, and what it leaves alone. */
class ProducerApiTest extends ContractSuite {

    @Test
    void outputVariantsCopyExactlyTheirRange() {
        RingBuffer ring = ring(4096);
        byte[] bytes = {1, 2, 3, 4, 5, 6};
        assertThat(ring.output(bytes, 2, 3, Wakeup.DEFAULT)).isTrue();
        assertThat(ring.output(bytes, 0, 0, Wakeup.NONE)).isTrue();
        ByteBuffer src = ByteBuffer.wrap(bytes, 1, 4); // position 1, limit 5
        assertThat(ring.output(src)).isTrue();
        assertThat(src.position()).as("position unchanged").isEqualTo(1);
        assertThat(src.limit()).isEqualTo(5);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip();
        assertThat(ring.output(direct.asReadOnlyBuffer())).isTrue();
        assertThatThrownBy(() -> ring.output(bytes, 4, 3, Wakeup.DEFAULT))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(TestSupport.drain(ring)).containsExactly(new byte[] {3, 4, 5}, new byte[0],
                new byte[] {2, 3, 4, 5}, new byte[] {7, 8, 9});
    }

    @Test
    void reservationDescribesItsRecord() {
        RingBuffer ring = ring(4096);
        ring.output(new byte[5]); // 16 bytes
        Reservation r = ring.reserve(10);
        assertThat(r.position()).isEqualTo(16);
        assertThat(r.offset()).isEqualTo(24);
        assertThat(r.length()).isEqualTo(10);
        assertThat(r.toString()).contains("position=16").contains("length=10");
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3});
        src.position(2);
        r.putBytes(7, src);
        assertThat(src.position()).as("position unchanged").isEqualTo(2);
        ByteBuffer view = r.buffer();
        assertThat(view.position()).isZero();
        assertThat(view.limit()).isEqualTo(10);
        view.put(0, (byte) 6);
        r.commit(Wakeup.NONE);
        assertThat(r.toString()).contains("finished");
        ring.consume(record -> { }, 1);
        ring.consume(record -> {
            assertThat(record.position()).isEqualTo(16);
            assertThat(record.offset()).isEqualTo(24);
            assertThat(record.toByteArray()).containsExactly(6, 0, 0, 0, 0, 0, 0, 1, 2, 3);
            assertThat(record.toString()).contains("position=16").contains("length=10");
        });
    }

    @Test
    void claimedOffsetIndexesTheRingBuffer() {
        RingBuffer ring = ring(4096);
        ByteBuffer memory = ring.buffer();
        int offset = ring.claim(8);
        assertThat(offset).isEqualTo(8);
        memory.putLong(offset, 0x1122334455667788L);
        ring.commit(offset);
        int[] seenOffset = {-1};
        ring.consume(record -> seenOffset[0] = record.offset());
        assertThat(seenOffset[0]).isEqualTo(offset);
    }
}
