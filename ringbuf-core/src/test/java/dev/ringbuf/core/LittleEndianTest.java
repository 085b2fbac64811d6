package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every accessor and every buffer view is little-endian, whatever the platform's native order. */
class LittleEndianTest extends ContractSuite {

    private static final byte[] LE_BYTES = {
        0x02, 0x01,                                     // short 0x0102
        0x04, 0x03, 0x02, 0x01,                         // int 0x01020304
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // long 0x0102030405060708
        (byte) 0xFE,                                    // byte -2
    };

    @Test
    void reservationPutsAreLittleEndian() {
        RingBuffer ring = ring(4096);
        Reservation r = ring.reserve(LE_BYTES.length);
        r.putShort(0, (short) 0x0102).putInt(2, 0x01020304).putLong(6, 0x0102030405060708L).putByte(14, (byte) -2);
        int offset = r.offset();
        byte[] raw = new byte[LE_BYTES.length];
        ring.buffer().get(offset, raw);
        assertThat(raw).isEqualTo(LE_BYTES);
        assertThat(r.buffer().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(r.buffer().getInt(2)).isEqualTo(0x01020304);
        r.commit();
        List<byte[]> seen = TestSupport.drain(ring);
        assertThat(seen).containsExactly(LE_BYTES);
    }

    @Test
    void recordGetsAndBuffersAreLittleEndian() {
        RingBuffer ring = ring(4096);
        ring.output(LE_BYTES);
        List<Object> values = new ArrayList<>();
        ring.consume(record -> {
            values.add(record.getShort(0));
            values.add(record.getInt(2));
            values.add(record.getLong(6));
            values.add(record.getByte(14));
            ByteBuffer view = record.buffer();
            assertThat(view.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(view.isReadOnly()).isTrue();
            assertThat(view.position()).isZero();
            assertThat(view.limit()).isEqualTo(LE_BYTES.length);
            values.add(view.getShort(0));
            values.add(view.getInt(2));
            values.add(view.getLong(6));
            Record copy = record.copy();
            values.add(copy.getInt(2));
            values.add(copy.getLong(6));
            assertThat(copy.buffer().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            // The ring's own view, at the record's offset.
            ByteBuffer memory = ring.buffer();
            assertThat(memory.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            values.add(memory.getLong(record.offset() + 6));
        });
        assertThat(values).containsExactly((short) 0x0102, 0x01020304, 0x0102030405060708L, (byte) -2,
                (short) 0x0102, 0x01020304, 0x0102030405060708L, 0x01020304, 0x0102030405060708L,
                0x0102030405060708L);
    }

    @Test
    void claimedSpaceThroughTheRingBufferIsLittleEndian() {
        RingBuffer ring = ring(4096);
        ByteBuffer memory = ring.buffer();
        assertThat(memory.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(memory.capacity()).as("data area plus tail extension").isEqualTo(4096 + 1024 + 8);
        int offset = ring.claim(8);
        memory.putLong(offset, 0x0102030405060708L);
        ring.commit(offset);
        List<byte[]> seen = TestSupport.drain(ring);
        assertThat(seen).containsExactly(new byte[] {8, 7, 6, 5, 4, 3, 2, 1});
        // Changing the order of one view does not change the ring's or another view's.
        memory.order(ByteOrder.BIG_ENDIAN);
        assertThat(ring.buffer().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }
}
