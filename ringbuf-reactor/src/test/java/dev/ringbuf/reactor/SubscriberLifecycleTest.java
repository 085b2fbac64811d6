package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.LONG_RECORD;
import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.putAll;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One subscriber at a time, cancel and resubscribe, close, errors, threads and Scannable. */
class SubscriberLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static RingBufferFluxBuilder sync(RingBuffer ring) {
        return RingBufferFlux.builder(ring).scheduler(VirtualTimeScheduler.create()).pollInterval(Duration.ZERO);
    }

    @Test
    void aSecondConcurrentSubscriberGetsIllegalStateException() {
        RingBuffer ring = ring("exclusive", 4096);
        Disposable first = RingBufferFlux.records(ring).subscribe();
        try {
            StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq)) // another Flux of the same ring
                    .expectErrorSatisfies(error -> assertThat(error)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("ring 'exclusive' already has a subscriber"))
                    .verify(TIMEOUT);
        } finally {
            first.dispose();
        }
    }

    @Test
    void cancelAndResubscribeLoseNothing() {
        RingBuffer ring = ring("resubscribe", 4096);
        putAll(ring, 0, 20);
        Flux<Long> flux = RingBufferFlux.records(ring).map(Rings::seq);

        StepVerifier.create(flux, 5).expectNext(0L, 1L, 2L, 3L, 4L).thenCancel().verify(TIMEOUT);
        // The next subscriber may come before the first one's drain let go of the ring: it waits for the hand-over.
        StepVerifier.create(flux, 3).expectNext(5L, 6L, 7L).thenCancel().verify(TIMEOUT);
        ring.close();
        StepVerifier.create(flux).expectNextSequence(List.of(8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
                19L)).expectComplete().verify(TIMEOUT);
        assertThat(ring.consumedRecords()).isEqualTo(20);
    }

    @Test
    void cancelFromInsideOnNextWithUnboundedDemandStopsRightAfterThatRecord() {
        RingBuffer ring = ring("next", 4096);
        putAll(ring, 0, 100);
        Flux<Long> flux = RingBufferFlux.records(ring).map(Rings::seq);

        // next() and takeUntil() request Long.MAX_VALUE and cancel inside onNext: nothing after is consumed.
        assertThat(flux.next().block(TIMEOUT)).isEqualTo(0L);
        assertThat(flux.next().block(TIMEOUT)).isEqualTo(1L);
        assertThat(flux.takeUntil(seq -> seq == 4L).collectList().block(TIMEOUT)).containsExactly(2L, 3L, 4L);
        assertThat(ring.consumedRecords()).isEqualTo(5);
        assertThat(ring.consumerPosition()).isEqualTo(5L * LONG_RECORD);
        ring.close();
        assertThat(flux.count().block(TIMEOUT)).isEqualTo(95L);
    }

    @Test
    void closeDeliversCommittedRecordsThenCompletes() {
        RingBuffer ring = ring("close", 4096);
        putAll(ring, 0, 3);
        StepVerifier.create(sync(ring).records().map(Rings::seq), 0)
                .expectSubscription()
                .then(ring::close)
                .expectNoEvent(Duration.ofMillis(10)) // records left and no demand: no completion yet
                .then(() -> assertThat(put(ring, 3)).isFalse()) // closed: refused, counted
                .thenRequest(2)
                .expectNext(0L, 1L)
                .expectNoEvent(Duration.ofMillis(10))
                .thenRequest(1)
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(ring.droppedRecords(dev.ringbuf.core.DropReason.CLOSED)).isEqualTo(1);
    }

    @Test
    void closedAndDrainedRingCompletesWithoutDemand() {
        RingBuffer ring = ring("closed-empty", 4096);
        ring.close();
        StepVerifier.create(RingBufferFlux.records(ring), 0).expectComplete().verify(TIMEOUT);
    }

    @Test
    void decoderExceptionSignalsOnErrorCountsThatRecordAndLosesNothingElse() {
        RingBuffer ring = ring("decoder-error", 4096);
        putAll(ring, 0, 5);
        StepVerifier.create(RingBufferFlux.decode(ring, record -> {
            long seq = record.getLong(0);
            if (seq == 2) {
                throw new IllegalArgumentException("bad record " + seq);
            }
            return seq;
        }))
                .expectNext(0L, 1L)
                .expectErrorMessage("bad record 2")
                .verify(TIMEOUT);
        assertThat(ring.consumedRecords()).isEqualTo(3);
        ring.close();
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq)).expectNext(3L, 4L).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void decoderReturningNullIsANullPointerException() {
        RingBuffer ring = ring("decoder-null", 4096);
        putAll(ring, 0, 1);
        StepVerifier.create(RingBufferFlux.decode(ring, record -> null))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("returned null for the record at position 0 of ring 'decoder-null'"))
                .verify(TIMEOUT);
    }

    @Test
    void downstreamExceptionInOnNextSignalsOnErrorAndLosesNothingElse() throws InterruptedException {
        RingBuffer ring = ring("downstream-error", 4096);
        putAll(ring, 0, 5);
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Long> seen = new CopyOnWriteArrayList<>();
        CountDownLatch terminated = new CountDownLatch(1);
        RingBufferFlux.records(ring).subscribe(new CoreSubscriber<Record>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Record record) {
                seen.add(record.getLong(0));
                if (record.getLong(0) == 1) {
                    throw new IllegalStateException("downstream failed");
                }
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
                terminated.countDown();
            }

            @Override
            public void onComplete() {
                terminated.countDown();
            }
        });
        assertThat(terminated.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(error.get()).hasMessage("downstream failed");
        assertThat(seen).containsExactly(0L, 1L);
        assertThat(ring.consumedRecords()).isEqualTo(2);
        ring.close();
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq)).expectNext(2L, 3L, 4L).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void recordIsReleasedWhenOnNextReturnsAndCopyOutlivesIt() {
        RingBuffer ring = ring("release", 4096);
        putAll(ring, 0, 2);
        ring.close();
        List<Record> views = new ArrayList<>();
        List<Record> copies = new ArrayList<>();
        RingBufferFlux.records(ring).doOnNext(record -> {
            views.add(record);
            copies.add(record.copy());
        }).blockLast(TIMEOUT);

        assertThat(views).hasSize(2);
        assertThat(views.get(0)).isNotSameAs(views.get(1)); // a view of its own per onNext
        for (Record view : views) {
            assertThat(view.isReadable()).isFalse();
            assertThatThrownBy(() -> view.getLong(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after release");
        }
        assertThat(copies).extracting(Rings::seq).containsExactly(0L, 1L);
    }

    @Test
    void recordsAreConsumedOnASchedulerWorkerNeverOnTheProducerThread() throws InterruptedException {
        RingBuffer ring = ring("threads", 1 << 16);
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch received = new CountDownLatch(100);
        Disposable subscription = RingBufferFlux.builder(ring).scheduler(Schedulers.single()).records()
                .subscribe(record -> {
                    threads.add(Thread.currentThread().getName());
                    received.countDown();
                });
        try {
            Thread producer = new Thread(() -> putAll(ring, 0, 100), "producer");
            producer.start();
            producer.join(10_000);
            assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).hasSize(100).allMatch(name -> name.startsWith("single-"));
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void scannableAttributesDescribeTheSubscription() {
        RingBuffer ring = ring("scanned", 4096);
        putAll(ring, 0, 3);
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        BaseSubscriber<Record> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                subscription.set(s);
                s.request(1);
            }
        };
        Flux<Record> flux = sync(ring).records();
        flux.subscribe(subscriber);

        Scannable scannable = Scannable.from(subscription.get());
        assertThat(scannable.isScanAvailable()).isTrue();
        assertThat(scannable.scan(Scannable.Attr.NAME)).isEqualTo("scanned");
        assertThat(scannable.name()).isEqualTo("scanned");
        assertThat(scannable.scan(Scannable.Attr.REQUESTED_FROM_DOWNSTREAM)).isZero(); // 1 requested, 1 delivered
        // In records, as Reactor operators count: nothing is held after onNext returns (no manual release)
        assertThat(scannable.scan(Scannable.Attr.BUFFERED)).isZero();
        assertThat(scannable.scan(Scannable.Attr.PREFETCH)).isEqualTo(RingBufferFluxBuilder.DEFAULT_BATCH_SIZE);
        assertThat(scannable.scan(Scannable.Attr.CAPACITY)).isZero();
        assertThat(scannable.scan(Scannable.Attr.CANCELLED)).isFalse();
        assertThat(scannable.scan(Scannable.Attr.TERMINATED)).isFalse();
        assertThat(scannable.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.ASYNC);
        assertThat(scannable.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(subscriber);

        subscriber.request(5);
        assertThat(scannable.scan(Scannable.Attr.REQUESTED_FROM_DOWNSTREAM)).isEqualTo(3L); // 5 - 2 delivered
        assertThat(scannable.scan(Scannable.Attr.BUFFERED)).isZero();
        ring.close();
        assertThat(scannable.scan(Scannable.Attr.TERMINATED)).isTrue();

        Scannable publisher = Scannable.from(flux);
        assertThat(publisher.scan(Scannable.Attr.NAME)).isEqualTo("scanned");
        assertThat(publisher.stepName()).isEqualTo("ringbuf(scanned)");
        assertThat(publisher.scan(Scannable.Attr.PREFETCH)).isEqualTo(RingBufferFluxBuilder.DEFAULT_BATCH_SIZE);

        AtomicReference<Subscription> second = new AtomicReference<>();
        sync(ring("scanned-cancel", 4096)).records().subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                second.set(s);
            }
        });
        second.get().cancel();
        assertThat(Scannable.from(second.get()).scan(Scannable.Attr.CANCELLED)).isTrue();
    }

    @Test
    void badBuilderArgumentsAreRejectedWithTheValueAndTheRule() {
        RingBuffer ring = ring("bad-input", 4096);
        assertThatThrownBy(() -> RingBufferFlux.builder(ring).batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize 0 must be positive");
        assertThatThrownBy(() -> RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollInterval PT-0.001S must be zero (no timer) or positive");
        assertThatThrownBy(() -> RingBufferFlux.builder(ring).manualRelease(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("manualRelease maxOutstanding -3 must be positive");
        assertThatThrownBy(() -> RingBufferFlux.builder(ring).manualRelease(4).decode(Rings::seq))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("applies to records() only");
        assertThatThrownBy(() -> RingBufferFlux.records(null))
                .isInstanceOf(NullPointerException.class).hasMessage("ring must not be null");
        assertThatThrownBy(() -> RingBufferFlux.decode(ring, null))
                .isInstanceOf(NullPointerException.class).hasMessage("decoder must not be null");
        assertThatThrownBy(() -> RingBufferFlux.builder(ring).scheduler(null))
                .isInstanceOf(NullPointerException.class).hasMessage("scheduler must not be null");
        assertThatThrownBy(() -> RingBufferFlux.builder(ring).metrics(null))
                .isInstanceOf(NullPointerException.class).hasMessage("registry must not be null");
    }

    @Test
    void aSchedulerWithoutTimerRunsThePollTimerOnParallel() {
        RingBuffer ring = ring("immediate", 4096);
        // Wakeup.NONE commits are picked up by the poll timer only: Schedulers.immediate() has none, parallel() ticks.
        StepVerifier.create(RingBufferFlux.builder(ring).scheduler(Schedulers.immediate())
                        .pollInterval(Duration.ofMillis(5)).records().map(Rings::seq).take(2))
                .then(() -> {
                    Rings.put(ring, 0L, Wakeup.NONE);
                    Rings.put(ring, 1L, Wakeup.NONE);
                })
                .expectNext(0L, 1L)
                .expectComplete()
                .verify(TIMEOUT);
        putAll(ring, 0, 2);
        ring.close();
        StepVerifier.create(RingBufferFlux.builder(ring).scheduler(Schedulers.immediate())
                        .pollInterval(Duration.ZERO).records().map(Rings::seq))
                .expectNext(0L, 1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aSynchronousSchedulerYieldsWithoutRecursion() {
        // batchSize 1: the drain yields its worker every 16 records; immediate() runs the reschedule inline, which
        // must not nest one run() per yield (100 000 records would overflow the stack).
        RingBuffer ring = RingBuffer.builder().name("immediate-yield").capacity(1 << 22).build();
        putAll(ring, 0, 100_000);
        ring.close();
        Long count = RingBufferFlux.builder(ring).scheduler(Schedulers.immediate()).pollInterval(Duration.ZERO)
                .batchSize(1).records().count().block(TIMEOUT);
        assertThat(count).isEqualTo(100_000L);
    }

    @Test
    void retryResubscribesAfterTheFailedRecordAndRepeatSeesTheEnd() {
        RingBuffer ring = ring("retry", 4096);
        putAll(ring, 0, 6);
        ring.close();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        Flux<Long> flux = RingBufferFlux.decode(ring, record -> {
            long seq = record.getLong(0);
            if (seq % 3 == 1 && failures.incrementAndGet() < 10) {
                throw new IllegalStateException("transient " + seq);
            }
            return seq;
        });
        // Records 1 and 4 fail: each counts as consumed, the resubscription resumes after it.
        StepVerifier.create(flux.retry(2)).expectNext(0L, 2L, 3L, 5L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(flux.repeat(2)).expectComplete().verify(TIMEOUT); // closed and drained: three completions
        assertThat(ring.consumedRecords()).isEqualTo(6);
    }
}
