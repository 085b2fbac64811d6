package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test helpers: rings of 8-byte sequence records. */
final class Rings {

    /** Bytes a record of one long occupies: 8 header + 8 payload. */
    static final int LONG_RECORD = 16;

    private Rings() {
    }

    static RingBuffer ring(String name, int capacity) {
        return RingBuffer.builder().name(name).capacity(capacity).build();
    }

    static boolean put(RingBuffer ring, long value) {
        return put(ring, value, Wakeup.DEFAULT);
    }

    static boolean put(RingBuffer ring, long value, Wakeup wakeup) {
        final byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array();
        return ring.output(bytes, 0, bytes.length, wakeup);
    }

    static void putAll(RingBuffer ring, long from, long toExclusive) {
        for (long i = from; i < toExclusive; i++) {
            if (!put(ring, i)) {
                throw new AssertionError("ring " + ring + " refused record " + i);
            }
        }
    }

    static long seq(Record record) {
        return record.getLong(0);
    }
}
