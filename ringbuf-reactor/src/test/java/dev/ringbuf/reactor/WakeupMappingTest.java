package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The kernel's wakeup policy mapped onto the drain's scheduling, and the poll-interval timer in virtual time. */
class WakeupMappingTest {

    @Test
    void defaultWakesACaughtUpDrainNoneNeverAndForceAlways() {
        RingBuffer ring = ring("mapping", 4096);
        StepVerifier.create(RingBufferFlux.builder(ring)
                        .scheduler(VirtualTimeScheduler.create())
                        .pollInterval(Duration.ZERO) // no timer: only wakeups run the drain
                        .records()
                        .map(Rings::seq))
                .expectSubscription()
                .then(() -> put(ring, 1, Wakeup.DEFAULT))      // consumer caught up: wakes
                .expectNext(1L)
                .then(() -> put(ring, 2, Wakeup.NONE))         // never wakes
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> put(ring, 3, Wakeup.DEFAULT))      // consumer is at record 2, not 3: no wakeup
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> put(ring, 4, Wakeup.FORCE))        // always wakes: the drain takes all three
                .expectNext(2L, 3L, 4L)
                .then(() -> assertThat(ring.wakeups()).isEqualTo(2))
                .then(ring::close)                              // close wakes the drain once more: onComplete
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void pollIntervalTimerPicksUpNoneCommitsInVirtualTime() {
        RingBuffer ring = ring("poll", 4096);
        StepVerifier.withVirtualTime(() -> RingBufferFlux.builder(ring)
                        .pollInterval(Duration.ofMillis(100)) // default scheduler: replaced by virtual time
                        .records()
                        .map(Rings::seq))
                .expectSubscription()
                .then(() -> put(ring, 7, Wakeup.NONE))
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(7L)
                .then(() -> put(ring, 8, Wakeup.NONE))
                .then(() -> put(ring, 9, Wakeup.NONE))
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(8L, 9L)
                .then(ring::close)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void defaultPollIntervalIsOneHundredMilliseconds() {
        RingBuffer ring = ring("default-poll", 4096);
        StepVerifier.withVirtualTime(() -> RingBufferFlux.records(ring).map(Rings::seq))
                .expectSubscription()
                .then(() -> put(ring, 1, Wakeup.NONE))
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(1L)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(RingBufferFluxBuilder.DEFAULT_POLL_INTERVAL).isEqualTo(Duration.ofMillis(100));
    }
}
