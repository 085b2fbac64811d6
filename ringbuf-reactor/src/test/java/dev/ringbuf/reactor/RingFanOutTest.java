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

/** {@link RingFanOut}: each subscriber drops and counts only its own newest items. */
class RingFanOutTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureError();
    private final RingFanOut<Integer> fanOut = RingFanOut.builder(source.asFlux())
            .deliveryScheduler(Schedulers.immediate())
            .metrics(registry)
            .start();

    @Test
    void aClientWithoutDemandDropsItsOwnItemsAndNeverHoldsUpTheSourceOrTheOthers() {
        final List<Integer> fast = new CopyOnWriteArrayList<>();
        fanOut.connect("fast", 16).subscribe(fast::add);
        final BaseSubscriber<Integer> stalled = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                // never requests: a client whose socket is not writable
            }
        };
        fanOut.connect("stalled", 10).subscribe(stalled);

        // The source emits 1000 items into a sink that errors on overflow: every emission is accepted at once,
        // so the stalled client never pushes back on the source.
        for (int i = 0; i < 1000; i++) {
            assertThat(source.tryEmitNext(i)).isEqualTo(Sinks.EmitResult.OK);
        }

        assertThat(fast).hasSize(1000).isSorted();
        assertThat(droppedBy("fast")).isZero();
        assertThat(droppedBy("stalled")).as("all but its buffer of 10 and the items in flight to its worker")
                .isEqualTo(1000 - 10 - RingFanOut.DELIVERY_PREFETCH);
        assertThat(registry.get("ringbuf.fanout.sent").tag("subscriber", "fast").counter().count()).isEqualTo(1000);
        assertThat(registry.get("ringbuf.fanout.subscribers").gauge().value()).isEqualTo(2);

        stalled.cancel();
        assertThat(fanOut.subscribers()).containsExactly("fast");
        assertThat(registry.find("ringbuf.fanout.dropped").tag("subscriber", "stalled").functionCounter())
                .as("a client's meters go with it").isNull();
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
                .hasMessage("bufferSize must be at least 1, was 0");
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
