package dev.ringbuf.core;

import static dev.ringbuf.core.TestSupport.pattern;
import static dev.ringbuf.core.TestSupport.patternBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records that reach past the end of the ring stay contiguous (the tail extension), at every start offset. */
class WrapAroundTest extends ContractSuite {

    private static final int C = 1024;
    private static final int MASK = C - 1;

    /** Moves an empty ring's positions so that the next record starts at {@code offset}. */
    private static void moveTo(RingBuffer ring, int offset) {
        int distance = (offset - (int) (ring.producerPosition() & MASK)) & MASK;
        if (distance != 0) {
            assertThat(ring.output(new byte[distance - 8])).isTrue(); // rec(distance - 8) == distance
            assertThat(ring.consume(record -> { })).isEqualTo(1);
        }
        assertThat(ring.producerPosition() & MASK).isEqualTo(offset);
        assertThat(ring.availableData()).isZero();
    }

    /** Writes a payload through one of the four producer paths (chosen by {@code way}) and commits it. */
    private static long write(RingBuffer ring, int size, byte[] payload, int way) {
        long position = ring.producerPosition();
        switch (way % 4) {
            case 0: {
                try (Reservation r = ring.reserve(size)) {
                    assertThat(r.position()).isEqualTo(position);
                    r.putBytes(0, payload, 0, size).commit();
                }
                break;
            }
            case 1: {
                int offset = ring.claim(size);
                assertThat(offset).isEqualTo((int) (position & MASK) + 8);
                ring.buffer().put(offset, payload, 0, size);
                ring.commit(offset);
                break;
            }
            case 2: {
                assertThat(ring.output(payload)).isTrue();
                break;
            }
            default: {
                try (Reservation r = ring.reserve(size)) {
                    ByteBuffer buffer = r.buffer();
                    assertThat(buffer.remaining()).isEqualTo(size);
                    buffer.put(payload); // relative bulk put through the reservation's own view
                    r.commit();
                }
            }
        }
        return position;
    }

    @Test
    void recordCrossingTheEndIsContiguousAtEveryStartOffset() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(C).maxRecordSize(C - 16));
        ByteBuffer memory = ring.buffer();
        int crossing = 0;
        int way = 0;
        for (int s = 0; s < C; s += 8) {
            final int start = s;
            // Sizes that end 1 byte past the end, 8 bytes past it, and the largest allowed record.
            int[] sizes = {C - start - 7, C - start, ring.maxRecordSize()};
            for (int size : sizes) {
                if (size < 0 || size > ring.maxRecordSize()) {
                    continue;
                }
                moveTo(ring, start);
                boolean crosses = start + 8 + size > C;
                crossing += crosses ? 1 : 0;
                byte[] payload = patternBytes(start, size, size);
                long position = write(ring, size, payload, way++);
                // A record right behind it: its header lands where the wrapped record's accounting ends.
                byte[] next = patternBytes(size, start, 24);
                long nextPosition = position + RingLayout.recordLength(size);
                boolean both = RingLayout.recordLength(size) + 32 <= C - 8;
                if (both) { // while the wrapped record is still unconsumed, when there is room
                    assertThat(ring.output(next)).isTrue();
                    assertThat(ring.producerPosition()).isEqualTo(nextPosition + 32);
                }

                List<Object> checked = new ArrayList<>();
                int n = ring.consume(record -> {
                    if (checked.isEmpty()) {
                        assertThat(record.position()).isEqualTo(position);
                        assertThat(record.length()).isEqualTo(size);
                        assertThat(record.offset()).isEqualTo(start + 8);
                        assertThat(record.toByteArray()).isEqualTo(payload);
                        ByteBuffer view = record.buffer();
                        for (int i = 0; i < size; i++) {
                            byte expected = pattern(start, size, i);
                            assertThat(record.getByte(i)).isEqualTo(expected);
                            assertThat(view.get(i)).isEqualTo(expected);
                            // Zero copy: the ring's own memory holds the bytes contiguously at record.offset().
                            assertThat(memory.get(record.offset() + i)).isEqualTo(expected);
                        }
                        if (size >= 8) {
                            assertThat(record.getLong(size - 8)).isEqualTo(ByteBuffer.wrap(payload, size - 8, 8)
                                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
                        }
                    } else {
                        assertThat(record.position()).isEqualTo(nextPosition);
                        assertThat(record.offset()).isEqualTo((int) (nextPosition & MASK) + 8);
                        assertThat(record.toByteArray()).isEqualTo(next);
                    }
                    checked.add(record.position());
                });
                if (!both) {
                    assertThat(n).as("start %d size %d", start, size).isEqualTo(1);
                    assertThat(ring.output(next)).isTrue();
                    n += ring.consume(record -> {
                        assertThat(record.position()).isEqualTo(nextPosition);
                        assertThat(record.offset()).isEqualTo((int) (nextPosition & MASK) + 8);
                        assertThat(record.toByteArray()).isEqualTo(next);
                    });
                }
                assertThat(n).as("start %d size %d", start, size).isEqualTo(2);
            }
        }
        // Every start offset but 0 and 8 can hold a record that crosses the end (a record is at most C - 8 bytes),
        // with two sizes each at offsets 16..C-16 plus the largest record; offset C-8 only with the two small ones.
        assertThat(crossing).isGreaterThan(2 * (C / 8 - 2) - 1);
    }

    @Test
    void headerInTheLastWordPutsTheWholePayloadInTheTailExtension() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(C).maxRecordSize(C - 16));
        moveTo(ring, C - 8);
        byte[] payload = patternBytes(7, 7, C - 16);
        assertThat(ring.output(payload)).isTrue();
        ring.consume(record -> {
            assertThat(record.offset()).isEqualTo(C);
            assertThat(record.toByteArray()).isEqualTo(payload);
            assertThat(ring.buffer().get(C + C - 17)).isEqualTo(payload[C - 17]);
        });
        assertThat(ring.producerPosition() & MASK).isEqualTo(C - 8 + C - 8 - C);
    }

    @Test
    void manyLapsOfMixedSizesStayIntact() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(256).maxRecordSize(100));
        int[] seq = {0};
        long expected = 0;
        for (int lap = 0; lap < 200; lap++) {
            int produced = 0;
            for (int k = 0; k < 3; k++) {
                int size = (lap * 7 + k * 13) % 101;
                if (ring.output(patternBytes(lap * 3L + k, size, size))) {
                    produced++;
                }
            }
            int consumed = ring.consume(record -> {
                byte[] bytes = record.toByteArray();
                assertThat(bytes.length).isBetween(0, 100);
                seq[0]++;
            });
            assertThat(consumed).isEqualTo(produced);
            expected += produced;
        }
        assertThat(ring.consumedRecords()).isEqualTo(expected).isEqualTo(seq[0]);
        assertThat(ring.producerPosition()).isGreaterThan(20 * 256L);
    }

    @Test
    void recordsUpToMaxRecordSize() {
        for (int capacity : new int[] {64, 128, 4096}) {
            for (int max : new int[] {0, 1, capacity / 4, capacity - 17, capacity - 16}) {
                RingBuffer ring = ring(RingBuffer.builder().capacity(capacity).maxRecordSize(max));
                assertThat(ring.maxRecordSize()).isEqualTo(max);
                for (int lap = 0; lap < 3; lap++) { // the largest record at several offsets
                    byte[] payload = patternBytes(capacity, max + lap, max);
                    assertThat(ring.output(payload)).isTrue();
                    List<byte[]> seen = TestSupport.drain(ring);
                    assertThat(seen).hasSize(1);
                    assertThat(seen.get(0)).isEqualTo(payload);
                    assertThat(ring.output(new byte[lap * 8 % (max + 1)])).isTrue(); // shift the next start
                    TestSupport.drain(ring);
                }
            }
        }
        assertThat(ring(4096).maxRecordSize()).as("default: capacity / 4").isEqualTo(1024);
    }
}
