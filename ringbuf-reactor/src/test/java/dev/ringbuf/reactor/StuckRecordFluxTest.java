package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * A graceful shutdown never hangs on a reservation that is never committed: with a stall timeout the ring abandons
 * it, the Flux delivers the records behind it and completes after {@code close()}.
 */
class StuckRecordFluxTest {

    @Test
    void closeCompletesTheFluxPastAStuckReservation() {
        RingBuffer ring = RingBuffer.builder().name("stuck").capacity(4096).stallTimeout(Duration.ofMillis(100))
                .build();
        put(ring, 1);
        ring.reserve(8); // a producer bug: never committed, never closed
        put(ring, 3);
        StepVerifier.create(RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(20)).records()
                        .map(record -> record.getLong(0)))
                .expectNext(1L)
                .then(ring::close)
                .expectNext(3L)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(ring.abandonedRecords()).isEqualTo(1);
    }
}
