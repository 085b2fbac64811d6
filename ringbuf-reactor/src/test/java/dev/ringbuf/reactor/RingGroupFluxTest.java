package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * A Flux over a ring group: one demand shared across rings, each record naming its ring, each ring's order kept,
 * wakeups from any ring, completion when every ring is closed and drained, one subscriber at a time.
 */
class RingGroupFluxTest {

    private static Flux<String> labels(RingGroup group) {
        return RingGroupFlux.records(group).map(record -> record.ring().name() + ":" + record.getLong(0));
    }

    @Test
    void oneDemandAcrossRingsAndCompletionWhenEveryRingIsDrained() {
        RingBuffer a = ring("a", 4096);
        RingBuffer b = ring("b", 4096);
        RingGroup group = RingGroup.create(2).add(a).add(b);
        for (long i = 0; i < 3; i++) {
            put(a, i);
            put(b, 10 + i);
        }
        StepVerifier.create(labels(group), 3)
                .expectNext("a:0", "a:1", "b:10")
                .then(() -> assertThat(a.consumedRecords() + b.consumedRecords()).as("no more than the demand")
                        .isEqualTo(3))
                .thenRequest(10)
                .expectNext("a:2", "b:11", "b:12")
                .then(() -> put(b, 13, Wakeup.DEFAULT))
                .expectNext("b:13")
                .then(a::close)
                .then(b::close)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void manyProducersAcrossRingsKeepEachRingsOrderAndLoseNothing() throws Exception {
        int rings = 3;
        int perRing = 5_000;
        List<RingBuffer> members = new ArrayList<>();
        for (int r = 0; r < rings; r++) {
            members.add(ring("shard-" + r, 1024));
        }
        RingGroup group = RingGroup.create();
        members.forEach(group::add);
        Map<String, Long> next = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (RingBuffer ring : members) {
            Thread producer = new Thread(() -> {
                byte[] payload = new byte[8];
                try {
                    for (long i = 0; i < perRing; i++) {
                        java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, i);
                        if (!ring.output(payload, Duration.ofSeconds(60))) {
                            throw new AssertionError("gave up record " + i + " of " + ring.name());
                        }
                    }
                    ring.close();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            producers.add(producer);
        }
        StepVerifier.create(RingGroupFlux.records(group, Schedulers.single(), Duration.ofMillis(10))
                        .doOnNext(record -> {
                            long expected = next.getOrDefault(record.ring().name(), 0L);
                            assertThat(record.getLong(0)).as("order of %s", record.ring().name())
                                    .isEqualTo(expected);
                            next.put(record.ring().name(), expected + 1);
                        })
                        .count())
                .then(() -> producers.forEach(Thread::start))
                .expectNext((long) rings * perRing)
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(errors).isEmpty();
        for (RingBuffer ring : members) {
            assertThat(ring.droppedRecords()).as("nothing dropped by the waiting producers").isZero();
        }
    }

    @Test
    void aSecondSubscriberIsRefusedAndOneAfterCancelResumes() {
        RingBuffer a = ring("a", 4096);
        RingGroup group = RingGroup.of(a);
        put(a, 1);
        put(a, 2);
        BaseSubscriber<String> first = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                request(1);
            }
        };
        labels(group).subscribe(first);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (a.consumedRecords() != 1) {
            assertThat(System.nanoTime() - deadline).as("the first subscriber got its record").isNegative();
            Thread.onSpinWait();
        }
        assertThatThrownBy(() -> labels(group).blockFirst(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a subscriber");
        first.cancel();
        StepVerifier.create(labels(group), 1)
                .expectNext("a:2")
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void closingTheGroupCompletesTheFlux() {
        RingBuffer a = ring("a", 4096);
        RingGroup group = RingGroup.of(a);
        StepVerifier.create(labels(group))
                .then(group::close)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(a.setWakeupListener(null)).as("the group let go of the ring").isNull();
    }
}
