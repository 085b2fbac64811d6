package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.LONG_RECORD;
import static dev.ringbuf.reactor.Rings.putAll;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class RingBufferFluxBasicTest {

    @Test
    void recordsDeliversCommittedRecordsThenCompletesAfterClose() {
        RingBuffer ring = ring("basic", 4096);
        putAll(ring, 0, 10);
        ring.close();

        StepVerifier.create(RingBufferFlux.records(ring).map(Rings::seq))
                .expectNext(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)
                .expectComplete()
                .verify(Duration.ofSeconds(10));

        assertThat(ring.consumerPosition()).isEqualTo(10L * LONG_RECORD);
        assertThat(ring.consumedRecords()).isEqualTo(10);
    }

    @Test
    void decodeRunsTheDecoderOnTheRingMemory() {
        RingBuffer ring = ring("decode", 4096);
        putAll(ring, 40, 43);
        ring.close();

        StepVerifier.create(RingBufferFlux.decode(ring, record -> "seq-" + record.getLong(0)))
                .expectNext("seq-40", "seq-41", "seq-42")
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
