package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The resubscription cases, bounded in time: a new subscription right after a cancel always succeeds, even
 * with an asynchronous operator between the ring and the cancelling one, and {@code take(n).repeat()} delivers every
 * record exactly once.
 */
class ResubscribeAfterCancelStressTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void flatMapOnParallelThenTakeResubscribedInARowNeverFails() {
        RingBuffer ring = Rings.ring("resubscribe-flatmap", 1 << 16);
        Rings.putAll(ring, 0, 2000);
        Flux<Long> flux = RingBufferFlux.decode(ring, Rings::seq)
                .flatMap(seq -> Mono.just(seq).subscribeOn(Schedulers.parallel()), 4)
                .take(5);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int rounds = 0;
        for (; rounds < 50 && System.nanoTime() < deadline; rounds++) {
            List<Long> got = flux.collectList().block(TIMEOUT);
            assertThat(got).as("round %d", rounds).hasSize(5);
        }
        assertThat(rounds).isEqualTo(50);
    }

    @Test
    void shareTakeRepeatNeverFails() {
        RingBuffer ring = Rings.ring("resubscribe-share", 1 << 16);
        Rings.putAll(ring, 0, 1000);
        List<Long> got = RingBufferFlux.decode(ring, Rings::seq).share().take(5).repeat(50)
                .collectList().block(TIMEOUT);
        assertThat(got).hasSize(255);
    }

    @Test
    void takeRepeatDeliversEveryRecordExactlyOnceInOrderWhileAProducerWrites() throws InterruptedException {
        RingBuffer ring = Rings.ring("take-repeat", 1 << 12);
        Thread producer = producer(ring, 20_000);
        try {
            List<Long> got = RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(10)).decode(Rings::seq)
                    .take(7)
                    .repeat()
                    .take(20_000)
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(got).isEqualTo(sequence(20_000));
        } finally {
            producer.interrupt();
            producer.join(10_000);
        }
    }

    @Test
    void withManualReleaseTakeRepeatThroughPublishOnDeliversEveryRecordExactlyOnce() throws InterruptedException {
        // publishOn prefetches 16: what sits in its queue at the cancel was emitted, not released: delivered again.
        RingBuffer ring = Rings.ring("take-repeat-manual", 1 << 12);
        Thread producer = producer(ring, 20_000);
        try {
            List<Long> got = RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(10)).manualRelease(64)
                    .records()
                    .publishOn(Schedulers.single(), 16)
                    .map(record -> {
                        long seq = Rings.seq(record);
                        record.release();
                        return seq;
                    })
                    .take(7)
                    .repeat()
                    .take(20_000)
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(got).isEqualTo(sequence(20_000));
        } finally {
            producer.interrupt();
            producer.join(10_000);
        }
    }

    @Test
    void aGenuinelyConcurrentSecondSubscriberStillGetsAnError() {
        RingBuffer ring = Rings.ring("concurrent", 4096);
        reactor.core.Disposable first = RingBufferFlux.records(ring).subscribe();
        try {
            reactor.test.StepVerifier.create(RingBufferFlux.builder(ring).handOverTimeout(Duration.ofMillis(50))
                            .records())
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("already has a subscriber").hasMessageContaining("still live"))
                    .verify(TIMEOUT);
            // Behind a subscriber that cancelled while itself queued behind the live one: still an error, not a hang.
            RingBufferFlux.records(ring).subscribe().dispose();
            reactor.test.StepVerifier.create(RingBufferFlux.builder(ring).handOverTimeout(Duration.ofMillis(50))
                            .records())
                    .expectError(IllegalStateException.class)
                    .verify(TIMEOUT);
        } finally {
            first.dispose();
        }
        // Once the first one is gone, the ring is free again, queued-and-failed subscribers notwithstanding.
        Rings.putAll(ring, 0, 1);
        reactor.test.StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq).take(1))
                .expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    private static Thread producer(RingBuffer ring, int count) {
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        Thread producer = new Thread(() -> {
            try {
                for (long i = 0; i < count; i++) {
                    if (emitter.emit(i, Duration.ofSeconds(20)) != Sinks.EmitResult.OK) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, ring.name() + "-producer");
        producer.start();
        return producer;
    }

    private static List<Long> sequence(int count) {
        List<Long> expected = new ArrayList<>(count);
        for (long i = 0; i < count; i++) {
            expected.add(i);
        }
        return expected;
    }
}
