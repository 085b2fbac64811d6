package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** {@link RingBufferSender}: a Publisher into a ring, under each overflow policy. */
class RingBufferSenderTest {

    static final RecordEncoder<Long> LONGS = RecordEncoder.of(value -> 8,
            (value, buffer, offset) -> buffer.putLong(offset, value));

    @Test
    void backpressureWritesEveryElementInOrderThroughASmallRingWithoutDrops() {
        RingBuffer ring = Rings.ring("sender-bp", 1024); // 64 records of 16 bytes
        int count = 20_000;
        Mono<Void> send = RingBufferSender.create(ring).prefetch(32)
                .send(Flux.range(0, count).map(Long::valueOf), LONGS);
        Mono<List<Long>> received = RingBufferFlux.decode(ring, Rings::seq).take(count).collectList();

        List<Long> seen = Mono.zip(send.then(Mono.just(true)), received.publishOn(Schedulers.parallel()))
                .map(both -> both.getT2()).block(Duration.ofSeconds(30));

        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(ring.droppedRecords()).as("BACKPRESSURE drops nothing, retries are not drops").isZero();
    }

    @Test
    void backpressureResumesWhenTheConsumerFreesSpaceLater() {
        RingBuffer ring = Rings.ring("sender-resume", 256); // 15 records
        Mono<Void> send = RingBufferSender.create(ring) // no timer: only the consumer's free resumes it
                .send(Flux.range(0, 40).map(Long::valueOf), LONGS).cache();
        send.subscribe();
        // The first 15 fit; the sender waits on the rest. Consuming frees space and must resume it.
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq).take(40))
                .expectNextCount(40)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(send).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(ring.droppedRecords()).isZero();
    }

    @Test
    void backpressureWorksOnASchedulerWithoutTimer() {
        // Schedulers.immediate() has no timer, and the sender needs none: the resume runs inline on the consumer.
        RingBuffer ring = Rings.ring("sender-immediate", 256);
        Mono<Void> send = RingBufferSender.create(ring).scheduler(Schedulers.immediate())
                .send(Flux.range(0, 200).map(Long::valueOf), LONGS).cache();
        send.subscribe();
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq).take(200))
                .expectNextCount(200)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(send).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(ring.droppedRecords()).isZero();
    }

    @Test
    void dropNewestCountsEachLostElementOnceAndReportsIt() {
        RingBuffer ring = Rings.ring("sender-drop", 256); // 15 records of 16 bytes, nobody consumes
        List<SendResult<Long>> results = RingBufferSender.create(ring).overflow(OverflowPolicy.DROP_NEWEST)
                .sendAndReport(Flux.range(0, 20).map(Long::valueOf), LONGS)
                .collectList().block(Duration.ofSeconds(5));

        assertThat(results).hasSize(20);
        assertThat(results.subList(0, 15)).allMatch(SendResult::isWritten);
        assertThat(results.subList(15, 20)).allMatch(result -> result.dropReason() == DropReason.FULL);
        assertThat(results.get(19).value()).isEqualTo(19L);
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(5);
    }

    @Test
    void overwriteOldestWritesEveryElementAndTheRingKeepsTheNewest() {
        RingBuffer ring = RingBuffer.builder().name("sender-overwrite").capacity(256).overwrite(true).build();
        List<SendResult<Long>> results = RingBufferSender.create(ring).overflow(OverflowPolicy.OVERWRITE_OLDEST)
                .sendAndReport(Flux.range(0, 40).map(Long::valueOf), LONGS)
                .collectList().block(Duration.ofSeconds(5));

        assertThat(results).hasSize(40).allMatch(SendResult::isWritten);
        assertThat(ring.droppedRecords()).as("nothing dropped: the oldest records made room").isZero();
        List<Long> kept = new ArrayList<>();
        ring.consume(record -> kept.add(record.getLong(0)));
        assertThat(kept).as("the newest records, in order").isNotEmpty().endsWith(39L);
        assertThat(kept.get(0) + kept.size()).isEqualTo(40L);
        assertThat(ring.overwrittenRecords()).isEqualTo(40L - kept.size());
    }

    @Test
    void overwriteOldestIsRefusedForARingThatDoesNotOverwrite() {
        RingBuffer ring = Rings.ring("sender-normal", 256);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> RingBufferSender.create(ring).overflow(OverflowPolicy.OVERWRITE_OLDEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OVERWRITE_OLDEST needs an overwrite ring").hasMessageContaining("sender-normal");
    }

    @Test
    void aClosedRingEndsTheSendWithAnErrorAndCancelsTheSource() {
        RingBuffer ring = Rings.ring("sender-closed", 1024);
        ring.close();
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.create(RingBufferSender.create(ring)
                        .send(Flux.range(0, 10).map(Long::valueOf).doOnCancel(() -> cancelled.set(true)), LONGS))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("sender-closed").hasMessageContaining("closed"))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isEqualTo(1);
    }

    @Test
    void aSenderWaitingOnAFullRingEndsWhenTheRingIsClosed() {
        RingBuffer ring = Rings.ring("sender-closed-while-waiting", 256);
        Mono<Void> send = RingBufferSender.create(ring)
                .send(Flux.range(0, 100).map(Long::valueOf), LONGS);
        StepVerifier.create(send)
                .then(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (ring.availableData() < 256 - 16 && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // bounded: the sender fills the ring on this thread's subscribe
                    }
                    ring.close();
                })
                .expectError(IllegalStateException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void anEncoderThatThrowsDiscardsItsReservationAndFailsTheSend() {
        RingBuffer ring = Rings.ring("sender-encoder", 1024);
        RecordEncoder<Long> broken = RecordEncoder.of(value -> 8, (value, buffer, offset) -> {
            if (value == 3) {
                throw new IllegalArgumentException("boom at 3");
            }
            buffer.putLong(offset, value);
        });
        StepVerifier.create(RingBufferSender.create(ring).send(Flux.range(0, 10).map(Long::valueOf), broken))
                .expectErrorMessage("boom at 3")
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq).take(3))
                .expectNext(0L, 1L, 2L)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        ring.close();
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq)).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(ring.discardedRecords()).isEqualTo(1);
    }

    @Test
    void anOversizeElementFailsTheSendWithAClearMessage() {
        RingBuffer ring = RingBuffer.builder().name("sender-oversize").capacity(1024).maxRecordSize(64).build();
        StepVerifier.create(RingBufferSender.create(ring).send(Flux.just(new byte[65]), RecordEncoder.bytes()))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("65").hasMessageContaining("maxRecordSize 64"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void cancellingTheSendCancelsTheSource() {
        RingBuffer ring = Rings.ring("sender-cancel", 256);
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.create(RingBufferSender.create(ring).send(Flux.<Long>never().doOnCancel(() -> cancelled.set(true)),
                        LONGS))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        RingBuffer ring = Rings.ring("sender-settings", 256);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RingBufferSender.create(ring).prefetch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch 0");
    }
}
