package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Manual release is at-least-once: records emitted (into a prefetch queue, or to the subscriber) and not released
 * when a subscriber cancels are delivered again to the next one, in order, before newer ones.
 */
class AtLeastOnceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void recordsEmittedIntoAPrefetchQueueButNeverDeliveredAreDeliveredAgain() {
        // The case: the first subscriber took 0..9 through publishOn, whose queue held up to 256 more.
        RingBuffer ring = Rings.ring("at-least-once", 1 << 16);
        Rings.putAll(ring, 0, 1000);
        Flux<Record> records = RingBufferFlux.builder(ring).manualRelease(512).records();

        List<Long> first = records.publishOn(Schedulers.single())
                .map(record -> {
                    long seq = Rings.seq(record);
                    record.release();
                    return seq;
                })
                .take(10).collectList().block(TIMEOUT);
        assertThat(first).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        List<Long> second = records.map(record -> {
            long seq = Rings.seq(record);
            record.release();
            return seq;
        }).take(990).collectList().block(TIMEOUT);
        assertThat(second).as("the next subscriber starts right after the last released record")
                .first().isEqualTo(10L);
        List<Long> expected = new ArrayList<>();
        for (long i = 10; i < 1000; i++) {
            expected.add(i);
        }
        assertThat(second).isEqualTo(expected);
    }

    @Test
    void recordsReleasedOutOfOrderAfterTheOldestUnreleasedOneAreDuplicatedNotLost() {
        RingBuffer ring = Rings.ring("at-least-once-gaps", 4096);
        Rings.putAll(ring, 0, 6);
        List<Record> held = new CopyOnWriteArrayList<>();
        Flux<Record> records = RingBufferFlux.builder(ring).scheduler(VirtualTimeScheduler.create())
                .pollInterval(Duration.ZERO).manualRelease(8).records();
        BaseSubscriber<Record> first = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(4);
            }

            @Override
            protected void hookOnNext(Record record) {
                held.add(record);
            }
        };
        records.subscribe(first);
        held.get(0).release();
        held.get(2).release(); // 1 stays unreleased: 2 is after it
        first.cancel();

        StepVerifier.create(records.map(record -> {
                    long seq = Rings.seq(record);
                    record.release();
                    return seq;
                }).take(5))
                .expectNext(1L, 2L, 3L, 4L, 5L) // 0 was released in order: freed; 2 comes again (a duplicate)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void anOutstandingGaugeAndScannableCountHeldRecords() {
        RingBuffer ring = Rings.ring("outstanding", 4096);
        Rings.putAll(ring, 0, 5);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Record> held = new CopyOnWriteArrayList<>();
        Subscription[] subscription = new Subscription[1];
        RingBufferFlux.builder(ring).scheduler(VirtualTimeScheduler.create()).pollInterval(Duration.ZERO)
                .metrics(registry).manualRelease(16).records().subscribe(new BaseSubscriber<>() {
                    @Override
                    protected void hookOnSubscribe(Subscription s) {
                        subscription[0] = s;
                        request(3);
                    }

                    @Override
                    protected void hookOnNext(Record record) {
                        held.add(record);
                    }
                });
        assertThat(registry.get(SubscriberMeters.OUTSTANDING).tag("ring", "outstanding").gauge().value())
                .isEqualTo(3.0);
        Scannable scannable = Scannable.from(subscription[0]);
        assertThat(scannable.scan(Scannable.Attr.BUFFERED)).isEqualTo(3);
        assertThat(scannable.scan(Scannable.Attr.CAPACITY)).isEqualTo(16);
        held.forEach(Record::release);
        assertThat(registry.get(SubscriberMeters.OUTSTANDING).gauge().value()).isZero();
        subscription[0].cancel();
        assertThat(registry.find(SubscriberMeters.OUTSTANDING).gauge()).as("removed with the subscriber").isNull();
    }
}
