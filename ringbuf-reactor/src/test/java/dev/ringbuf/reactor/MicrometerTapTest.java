package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.observability.micrometer.Micrometer;

/** The optional Reactor tap that docs/metrics.md shows: per-Flux signal meters on top of the ring's own. */
class MicrometerTapTest {

    @Test
    void namedFluxWithTheMicrometerTapCountsItsSignals() {
        RingBuffer ring = Rings.ring("tapped", 4096);
        Rings.putAll(ring, 0, 5);
        ring.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        Long count = RingBufferFlux.records(ring)
                .map(Rings::seq)
                .name("events")
                .tap(Micrometer.metrics(registry))
                .count()
                .block(Duration.ofSeconds(10));

        assertThat(count).isEqualTo(5);
        assertThat(registry.get("events.onNext.delay").timer().count()).isEqualTo(5);
        assertThat(registry.get("events.flow.duration").tag("status", "completed").timer().count()).isEqualTo(1);
    }
}
