package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.LONG_RECORD;
import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.putAll;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Manual release: records cross async boundaries; space is reclaimed up to the oldest unreleased record. */
class ManualReleaseTest {

    /** Collects records without releasing them; synchronous drain. */
    private static final class Holder extends BaseSubscriber<Record> {
        final List<Record> records = new CopyOnWriteArrayList<>();
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final long initial;
        volatile boolean completed;

        Holder(long initial) {
            this.initial = initial;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            if (initial > 0) {
                request(initial);
            }
        }

        @Override
        protected void hookOnNext(Record record) {
            records.add(record);
            seqs.add(record.getLong(0));
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }
    }

    private static Flux<Record> manual(RingBuffer ring, int maxOutstanding) {
        return RingBufferFlux.builder(ring)
                .scheduler(VirtualTimeScheduler.create())
                .pollInterval(Duration.ZERO)
                .manualRelease(maxOutstanding)
                .records();
    }

    @Test
    void spaceIsReclaimedUpToTheOldestUnreleasedRecordOnly() {
        RingBuffer ring = ring("manual", 4096);
        putAll(ring, 0, 4);
        Holder holder = new Holder(4);
        manual(ring, 16).subscribe(holder);

        assertThat(holder.seqs).containsExactly(0L, 1L, 2L, 3L);
        assertThat(ring.readPosition()).isEqualTo(4L * LONG_RECORD);
        assertThat(ring.consumerPosition()).isZero(); // nothing released yet: nothing reclaimed
        assertThat(holder.records.get(0).getLong(0)).isZero(); // still valid after onNext returned

        holder.records.get(2).release(); // out of order: record 0 still holds the space
        assertThat(holder.records.get(2).isReadable()).isFalse();
        assertThat(ring.consumerPosition()).isZero();

        holder.records.get(0).release();
        assertThat(ring.consumerPosition()).isEqualTo(LONG_RECORD); // up to record 1, the oldest unreleased

        holder.records.get(1).release();
        assertThat(ring.consumerPosition()).isEqualTo(3L * LONG_RECORD); // 1 and the already released 2

        holder.records.get(3).release();
        holder.records.get(3).release(); // idempotent
        assertThat(ring.consumerPosition()).isEqualTo(4L * LONG_RECORD);
        assertThatThrownBy(() -> holder.records.get(3).getLong(0)).isInstanceOf(IllegalStateException.class);
        holder.cancel();
    }

    @Test
    void atMostMaxOutstandingRecordsAreEmittedBeforeReleases() {
        RingBuffer ring = ring("bound", 4096);
        putAll(ring, 0, 10);
        Holder holder = new Holder(Long.MAX_VALUE);
        manual(ring, 3).subscribe(holder);

        assertThat(holder.seqs).containsExactly(0L, 1L, 2L);
        holder.records.get(1).release(); // not the oldest: no slot is freed in order, the bound counts from it
        assertThat(holder.records).hasSize(3);
        holder.records.get(0).release(); // frees two slots (0 and 1)
        assertThat(holder.seqs).containsExactly(0L, 1L, 2L, 3L, 4L);
        holder.cancel();
    }

    @Test
    void cancelRevokesOutstandingRecordsAndTheNextSubscriberGetsThemAgainInOrder() {
        RingBuffer ring = ring("manual-cancel", 4096);
        putAll(ring, 0, 6);
        Holder holder = new Holder(2);
        manual(ring, 8).subscribe(holder);
        assertThat(holder.records).hasSize(2);

        holder.cancel();
        assertThat(holder.records).allMatch(record -> !record.isReadable());
        assertThat(ring.consumerPosition()).as("nothing released: nothing freed").isZero();
        assertThat(ring.readPosition()).as("rewound to the oldest unreleased record").isZero();
        holder.records.get(0).release(); // after cancel: a harmless no-op

        Holder next = new Holder(Long.MAX_VALUE);
        manual(ring, 8).subscribe(next);
        assertThat(next.seqs).as("at-least-once: the unreleased records first, in order").containsExactly(0L, 1L, 2L,
                3L, 4L, 5L);
        next.cancel();
    }

    @Test
    void completionKeepsHeldRecordsValidUntilReleased() {
        RingBuffer ring = ring("manual-complete", 4096);
        putAll(ring, 0, 2);
        ring.close();
        Holder holder = new Holder(Long.MAX_VALUE);
        manual(ring, 8).subscribe(holder);

        assertThat(holder.completed).isTrue();
        assertThat(holder.seqs).containsExactly(0L, 1L);
        assertThat(ring.consumerPosition()).isZero();
        holder.records.forEach(Record::release);
        assertThat(ring.consumerPosition()).isEqualTo(2L * LONG_RECORD);
    }

    @Test
    void recordsCrossAnAsyncBoundaryAndAreReleasedOnAnotherThread() throws InterruptedException {
        RingBuffer ring = ring("manual-async", 1024); // 63 records of one long fit
        List<Long> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        RingBufferFlux.builder(ring).manualRelease(16).records()
                .publishOn(Schedulers.boundedElastic(), 8) // the view crosses threads, valid until released
                .doOnNext(record -> {
                    seen.add(record.getLong(0));
                    record.release();
                })
                .doOnComplete(done::countDown)
                .subscribe();
        long produced = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (produced < 2000 && System.nanoTime() < deadline) {
            if (put(ring, produced)) {
                produced++;
            } else {
                Thread.onSpinWait(); // full: the consumer frees space as records are released
            }
        }
        ring.close();
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(produced).isEqualTo(2000);
        assertThat(seen).hasSize(2000);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        // The last releases reach the drain asynchronously (each schedules a reclaim): bounded wait for it.
        long reclaimBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ring.consumerPosition() != ring.producerPosition() && System.nanoTime() - reclaimBy < 0) {
            Thread.yield();
        }
        assertThat(ring.consumerPosition()).as("every released record's space reclaimed")
                .isEqualTo(ring.producerPosition());
    }
}
