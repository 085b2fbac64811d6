package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.putAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@link RingBufferFlux} over an overwrite-mode ring: the latest records, in order; held records protected. */
class OverwriteFluxTest {

    private static final int CAPACITY = 1024;
    /** 16-byte records: 63 fit in 1023 bytes. */
    private static final int SURVIVORS = 63;

    private static RingBuffer overwriteRing(String name) {
        return RingBuffer.builder().name(name).capacity(CAPACITY).overwrite(true).build();
    }

    private static Long[] range(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).boxed().toArray(Long[]::new);
    }

    @Test
    void recordsDeliversTheLatestRecordsInOrder() {
        RingBuffer ring = overwriteRing("latest");
        putAll(ring, 0, 300); // every put succeeds: the oldest records make room
        StepVerifier.create(RingBufferFlux.records(ring).map(Rings::seq).take(SURVIVORS))
                .expectNext(range(300 - SURVIVORS, 300))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(ring.overwrittenRecords()).isEqualTo(300 - SURVIVORS);
        assertThat(ring.consumedRecords() + ring.overwrittenRecords()).isEqualTo(300);
        assertThat(ring.droppedRecords()).isZero();
    }

    @Test
    void decodeRunsOnTheSurvivingRecords() {
        RingBuffer ring = overwriteRing("decoded");
        putAll(ring, 0, 100);
        StepVerifier.create(RingBufferFlux.decode(ring, record -> "#" + record.getLong(0)).take(3))
                .expectNext("#" + (100 - SURVIVORS), "#" + (101 - SURVIVORS), "#" + (102 - SURVIVORS))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(ring.overwrittenRecords()).isEqualTo(100 - SURVIVORS);
    }

    @Test
    void manualReleaseProtectsUnreleasedRecordsUntilReleased() {
        RingBuffer ring = overwriteRing("held");
        putAll(ring, 0, 4);
        List<Record> held = new CopyOnWriteArrayList<>();
        BaseSubscriber<Record> holder = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(4);
            }

            @Override
            protected void hookOnNext(Record record) {
                held.add(record);
            }
        };
        RingBufferFlux.builder(ring).scheduler(VirtualTimeScheduler.create()).pollInterval(Duration.ZERO)
                .manualRelease(16).records().subscribe(holder);
        assertThat(held).hasSize(4);

        // 59 more fit beside the four held records; the next one would need record 0, which is held.
        putAll(ring, 4, SURVIVORS);
        assertThat(put(ring, SURVIVORS)).isFalse();
        assertThat(ring.droppedRecords(DropReason.FULL)).isOne();
        assertThat(held).extracting(record -> record.getLong(0)).containsExactly(0L, 1L, 2L, 3L);

        held.get(0).release();
        assertThat(put(ring, SURVIVORS)).isTrue(); // record 0's space, now released
        assertThat(put(ring, SURVIVORS + 1)).isFalse(); // record 1 is still held
        held.forEach(Record::release);
        assertThat(put(ring, SURVIVORS + 1)).isTrue();
        assertThat(ring.overwrittenRecords()).isZero(); // only read records were overwritten so far
        holder.cancel();
    }
}
