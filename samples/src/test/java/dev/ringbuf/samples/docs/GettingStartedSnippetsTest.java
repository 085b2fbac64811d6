package dev.ringbuf.samples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import dev.ringbuf.reactor.RingBufferMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

/** The code of docs/getting-started.md (and the README's example), run as written. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GettingStartedSnippetsTest {

    record Click(long sequence, int userId) {
        static Click decode(Record r) {
            return new Click(r.getLong(0), r.getInt(8));
        }
    }

    @Test
    void producersAndAPlainConsumer() throws InterruptedException {
        final RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 20).build();
        final long sequence = 7;
        final int userId = 42;
        try (Reservation r = ring.reserve(12)) {
            if (r != null) {
                r.putLong(0, sequence).putInt(8, userId);
                r.commit();
            }
        }
        ring.close();
        final List<Click> handled = new ArrayList<>();

        while (!ring.isClosedAndDrained()) {
            final int n = ring.consume(record -> handled.add(new Click(record.getLong(0), record.getInt(8))));
            if (n == 0) {
                ring.awaitData(Duration.ofMillis(100));
            }
        }

        assertThat(handled).containsExactly(new Click(7, 42));
    }

    @Test
    void firstFluxAndMetrics() {
        final RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 20).build();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(ring).bindTo(registry);
        for (int i = 0; i < 3; i++) {
            try (Reservation r = ring.reserve(12)) {
                r.putLong(0, i).putInt(8, 100 + i);
                r.commit();
            }
        }
        ring.close();

        final Flux<Click> clicks = RingBufferFlux.decode(ring, Click::decode);

        assertThat(clicks.collectList().block(Duration.ofSeconds(10)))
                .containsExactly(new Click(0, 100), new Click(1, 101), new Click(2, 102));
        assertThat(registry.get("ringbuf.records.consumed").tag("ring", "events").functionCounter().count())
                .isEqualTo(3);
        assertThat(registry.get("ringbuf.records.dropped").tag("reason", "full").functionCounter().count()).isZero();
    }
}
