package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.LONG_RECORD;
import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.putAll;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Demand drives consumption: the consumer position moves only with request(n). */
class DemandTest {

    /** A synchronous drain: VirtualTimeScheduler runs undelayed tasks on the signalling thread, so steps are exact. */
    private static Flux<Long> sequences(RingBuffer ring) {
        return RingBufferFlux.builder(ring)
                .scheduler(VirtualTimeScheduler.create())
                .pollInterval(Duration.ZERO)
                .records()
                .map(Rings::seq);
    }

    @Test
    void consumerPositionMovesOnlyWithDemand() {
        RingBuffer ring = ring("demand", 4096);
        putAll(ring, 0, 10);

        StepVerifier.create(sequences(ring), 0)
                .expectSubscription()
                .then(() -> assertThat(ring.consumerPosition()).isZero())
                .thenRequest(3)
                .expectNext(0L, 1L, 2L)
                .then(() -> {
                    assertThat(ring.consumerPosition()).isEqualTo(3L * LONG_RECORD);
                    assertThat(ring.consumedRecords()).isEqualTo(3);
                })
                .thenRequest(1)
                .expectNext(3L)
                .then(() -> assertThat(ring.consumerPosition()).isEqualTo(4L * LONG_RECORD))
                .thenRequest(6)
                .expectNext(4L, 5L, 6L, 7L, 8L, 9L)
                .then(() -> assertThat(ring.consumerPosition()).isEqualTo(10L * LONG_RECORD))
                .thenRequest(5)
                .then(() -> put(ring, 10))
                .expectNext(10L)
                .then(() -> assertThat(ring.consumerPosition()).isEqualTo(11L * LONG_RECORD))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void zeroDemandFillsTheRingAndCountsEveryFailedReservationAsFull() {
        RingBuffer ring = ring("zero-demand", 1024); // holds (1024 - 8) / 16 = 63 records of one long
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(ring).bindTo(registry);

        StepVerifier.create(sequences(ring), 0)
                .expectSubscription()
                .then(() -> {
                    int accepted = 0;
                    int refused = 0;
                    for (long i = 0; i < 100; i++) {
                        if (put(ring, i)) {
                            accepted++;
                        } else {
                            refused++;
                        }
                    }
                    assertThat(accepted).isEqualTo(63);
                    assertThat(refused).isEqualTo(37);
                    assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(37);
                    assertThat(registry.get("ringbuf.records.dropped").tag("reason", "full").functionCounter()
                            .count()).isEqualTo(37.0);
                    assertThat(ring.consumerPosition()).isZero();
                })
                .thenRequest(63)
                .expectNextCount(63)
                .then(() -> {
                    assertThat(ring.availableData()).isZero();
                    assertThat(put(ring, 100)).isTrue(); // room again once demand consumed the records
                })
                .thenRequest(1)
                .expectNext(100L)
                .thenCancel()
                .verify(Duration.ofSeconds(10));

        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(37);
    }

    @Test
    void demandBeyondTheBatchSizeIsServedInBatches() {
        RingBuffer ring = ring("batches", 1 << 16);
        putAll(ring, 0, 1000);
        ring.close();

        Flux<Long> flux = RingBufferFlux.builder(ring)
                .scheduler(VirtualTimeScheduler.create())
                .pollInterval(Duration.ZERO)
                .batchSize(7)
                .records()
                .map(Rings::seq);

        StepVerifier.create(flux, 0)
                .thenRequest(500)
                .expectNextCount(500)
                .then(() -> assertThat(ring.consumedRecords()).isEqualTo(500))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(500)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
