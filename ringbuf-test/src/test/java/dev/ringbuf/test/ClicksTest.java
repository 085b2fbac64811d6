package dev.ringbuf.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/getting-started.md, section 5, as written. */
@ExtendWith(RingBufferExtension.class)
class ClicksTest {

    @Test
    void everyClickIsWritten(@TestRing(capacity = 1 << 16, name = "clicks") RingBuffer ring) {
        ring.output(new byte[] {42});
        assertEquals(1, ring.consume(record -> { }));
    }                                             // no drop allowed: a dropped click would fail this test

    @Test
    void aFullRingDropsTheNewest(@TestRing(capacity = 64, maxRecordSize = 40, allowDrops = true) RingBuffer ring) {
        ring.output(new byte[40]);
        ring.output(new byte[40]);                // no room: dropped, counted "full"
        RingDrops.assertDropped(ring, DropReason.FULL, 1);
    }
}
