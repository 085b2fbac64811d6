package dev.ringbuf.samples.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void anEventRoundTripsThroughTheRing() {
        final RingBuffer ring = RingBuffer.allocate(4096);
        assertThat(EventCodec.write(ring, 3, 42, 1_767_225_600_000_000L, EventCodec.typeBytes("page.view"), 7,
                Wakeup.DEFAULT)).isTrue();
        final List<Event> events = new ArrayList<>();

        ring.consume(record -> events.add(EventCodec.decode(record)));

        assertThat(events).containsExactly(new Event(0, 3, 42, 1_767_225_600_000_000L, "page.view", 7));
    }

    @Test
    void writeReportsAFullRingAsFalse() {
        final RingBuffer ring = RingBuffer.builder().capacity(128).maxRecordSize(64).build();
        final byte[] type = EventCodec.typeBytes("x");                // 29 bytes: 40 in the ring, 3 fit in 128
        for (int i = 0; i < 3; i++) {
            assertThat(EventCodec.write(ring, 0, i, 0, type, 0, Wakeup.NONE)).isTrue();
        }

        assertThat(EventCodec.write(ring, 0, 3, 0, type, 0, Wakeup.NONE)).isFalse();
        assertThat(ring.droppedRecords()).isEqualTo(1);
    }

    @Test
    void jsonIsOneLineWithTheTypeEscaped() {
        assertThat(EventCodec.toJson(new Event(4096, 1, 17, 99, "page.view", -3)))
                .isEqualTo("{\"id\":4096,\"producer\":1,\"seq\":17,\"ts\":99,\"type\":\"page.view\",\"value\":-3}");
        final StringBuilder json = new StringBuilder();
        EventCodec.appendJsonString(json, "a\"b\\c\nd\u0001\u2028");
        assertThat(json).hasToString("\"a\\\"b\\\\c\\nd\\u0001\\u2028\"");
    }

    @Test
    void badInputNamesTheValueAndTheRule() {
        assertThatThrownBy(() -> EventCodec.typeBytes("")).hasMessage("type '' must have 1 to 64 characters, has 0");
        assertThatThrownBy(() -> EventCodec.typeBytes("a\"b")).hasMessageContaining("character 1 is U+22");
        final RingBuffer ring = RingBuffer.allocate(4096);
        ring.output(new byte[4]);
        assertThatThrownBy(() -> ring.consume(EventCodec::decode))
                .hasMessage("record at position 0 has 4 bytes, an event has at least 28");
    }
}
