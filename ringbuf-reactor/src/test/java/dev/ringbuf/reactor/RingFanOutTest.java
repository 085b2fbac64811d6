package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** {@link RingFanOut}: a subscriber without demand drops and counts only its own items and holds nobody. */
class RingFanOutTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();
    private final RingFanOut<Integer> fanOut = RingFanOut.builder(source.asFlux())
            .deliveryScheduler(Schedulers.immediate())
            .untetherAfter(Duration.ZERO) // no grace: a subscriber at its bound without demand is cut loose at once
            .metrics(registry)
            .start();

    @Test
    void aClientWithoutDemandDropsItsOwnItemsAndNeverHoldsUpTheSourceOrTheOthers() {
        final List<Integer> fast = new CopyOnWriteArrayList<>();
        fanOut.connect("fast", 16).subscribe(fast::add);
        final List<Integer> stalledItems = new CopyOnWriteArrayList<>();
        final BaseSubscriber<Integer> stalled = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                // no demand: a client whose socket is not writable
            }

            @Override
            protected void hookOnNext(Integer item) {
                stalledItems.add(item);
            }
        };
        fanOut.connect("stalled", 10).subscribe(stalled);

        for (int i = 0; i < 1000; i++) {
            assertThat(source.tryEmitNext(i)).isEqualTo(Sinks.EmitResult.OK);
        }

        assertThat(fast).hasSize(1000).isSorted();
        assertThat(droppedBy("fast")).isZero();
        assertThat(droppedBy("stalled")).as("all but its newest 10").isEqualTo(1000 - 10);
        assertThat(fanOut.subscribers()).containsExactlyInAnyOrder("fast", "stalled");
        stalled.request(10);
        assertThat(stalledItems).as("it kept its newest 10").containsExactly(990, 991, 992, 993, 994, 995, 996,
                997, 998, 999);
        assertThat(registry.get("ringbuf.fanout.sent").tag("subscriber", "fast").functionCounter().count()).isEqualTo(1000);
        assertThat(registry.get("ringbuf.fanout.subscribers").gauge().value()).isEqualTo(2);

        stalled.cancel();
        assertThat(fanOut.subscribers()).containsExactly("fast");
        assertThat(registry.find("ringbuf.fanout.dropped").tag("subscriber", "stalled").functionCounter())
                .as("a client's meters go with it").isNull();
    }

    @Test
    void aDisposeAsSoonAsTheSourceTerminatedStillCompletesEverySubscriber() {
        // What the starter's shutdown does: wait for terminated(), then dispose(). terminated() used to fire before
        // the window saw the completion, so this dispose() cancelled it and the subscriber never completed (an SSE
        // stream then held the web server's graceful shutdown for its whole timeout).
        fanOut.terminated().subscribe(null, null, fanOut::dispose);
        StepVerifier.create(fanOut.connect("reader", 8))
                .then(() -> {
                    source.tryEmitNext(1);
                    source.tryEmitComplete();
                })
                .expectNext(1)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void clientsCompleteAfterTheSourceCompletesWithTheirBufferDelivered() throws InterruptedException {
        final BaseSubscriber<Integer> late = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            }
        };
        fanOut.connect("late", 4).subscribe(late);
        StepVerifier.create(fanOut.connect("reader", 8))
                .then(() -> {
                    source.tryEmitNext(1);
                    source.tryEmitNext(2);
                    source.tryEmitComplete();
                })
                .expectNext(1, 2)
                .verifyComplete();
        StepVerifier.create(fanOut.terminated()).verifyComplete();

        assertThat(fanOut.awaitNoSubscribers(Duration.ofMillis(50))).as("'late' still holds its buffer").isFalse();
        late.request(10);
        assertThat(fanOut.awaitNoSubscribers(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void underLagPolicyFailASubscriberPastItsBoundWithoutDemandFailsAndTheOthersGoOn() {
        final Sinks.Many<Integer> items = Sinks.many().unicast().onBackpressureBuffer();
        final RingFanOut<Integer> failing = RingFanOut.builder(items.asFlux())
                .deliveryScheduler(Schedulers.immediate())
                .untetherAfter(Duration.ZERO)
                .lagPolicy(RingFanOut.LagPolicy.FAIL)
                .start();
        final List<Integer> fast = new CopyOnWriteArrayList<>();
        failing.connect("fast", 4).subscribe(fast::add);
        StepVerifier.create(failing.connect("stalled", 4), 0)
                .then(() -> {
                    for (int i = 0; i < 100; i++) {
                        items.tryEmitNext(i);
                    }
                })
                .expectErrorMatches(error -> reactor.core.Exceptions.isOverflow(error)
                        && error.getMessage().contains("stalled"))
                .verify(Duration.ofSeconds(10));
        assertThat(fast).hasSize(100);
    }

    @Test
    void aSubscriberWithoutDemandHoldsTheOthersOnlyForItsGraceThenDropsItsOwn() throws InterruptedException {
        final Sinks.Many<Integer> items = Sinks.many().unicast().onBackpressureBuffer();
        final RingFanOut<Integer> graced = RingFanOut.builder(items.asFlux())
                .untetherAfter(Duration.ofMillis(50))
                .start();
        final java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1000);
        graced.connect("fast", 4).subscribe(item -> all.countDown());
        graced.connect("stalled", 4).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            }
        });
        for (int i = 0; i < 1000; i++) { // more than the fan-out asks for before anyone holds it
            items.tryEmitNext(i);
        }
        assertThat(all.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the grace ends, the others go on")
                .isTrue();
        assertThat(graced.dropped("stalled")).as("it keeps its newest 4").isEqualTo(1000 - 4);
    }

    @Test
    void clientNamesAreTagSafeAndUnique() {
        final List<String> names = new CopyOnWriteArrayList<>();
        fanOut.connect("dup", 1).subscribe();
        fanOut.connect("dup", 1).subscribe();
        fanOut.connect("has space", 1).subscribe();
        fanOut.connect(null, 1).subscribe();
        names.addAll(fanOut.subscribers());

        assertThat(names).hasSize(4).contains("dup", "dup-2").allMatch(name -> name.matches("[A-Za-z0-9._-]+"));
    }

    @Test
    void badArgumentsAreRejectedWithTheRule() {
        assertThatThrownBy(() -> fanOut.connect("x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bufferSize must be between 1 and the fan-out's maxBufferSize 65536, was 0");
        assertThatThrownBy(() -> fanOut.connect("x", 70_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bufferSize must be between 1 and the fan-out's maxBufferSize 65536, was 70000");
        assertThatThrownBy(() -> RingFanOut.builder(source.asFlux()).untetherAfter(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("untetherAfter must not be negative, was PT-0.001S");
        assertThatThrownBy(fanOut::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RingFanOut.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("source must not be null");
    }

    private double droppedBy(String client) {
        final double counted = registry.get("ringbuf.fanout.dropped").tag("subscriber", client).functionCounter()
                .count();
        assertThat(counted).as("the meter and dropped(name) agree").isEqualTo(fanOut.dropped(client));
        return counted;
    }
}
