package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.function.Tuples;

/**
 * A ring's Flux and a group's Flux are one drain: the same schedulers, the same Scannable answers, the same assembly
 * hooks, the same rule for a second subscriber.
 */
class OneDrainTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(FanOutDelivery.class)
    void aGroupFluxRunsOnEverySchedulerARingFluxRunsOn(FanOutDelivery kind) {
        final Scheduler scheduler = kind.scheduler(); // null: the documented default
        final RingBuffer a = Rings.ring("a-" + kind, 4096);
        final RingBuffer b = Rings.ring("b-" + kind, 4096);
        final RingGroup group = RingGroup.of(a, b);
        final Flux<String> groupFlux = (scheduler == null ? RingGroupFlux.records(group)
                : RingGroupFlux.records(group, scheduler, RingBufferFluxBuilder.DEFAULT_POLL_INTERVAL))
                .map(record -> record.ring().name().charAt(0) + ":" + record.getLong(0));

        StepVerifier.create(groupFlux.take(4))
                .then(() -> {
                    Rings.put(a, 1);
                    Rings.put(b, 2);
                    Rings.put(a, 3, Wakeup.NONE); // only the poll timer picks these up
                    Rings.put(b, 4, Wakeup.NONE);
                })
                .expectNextCount(4)
                .expectComplete()
                .verify(TIMEOUT);
        if (scheduler != null && kind == FanOutDelivery.VIRTUAL_THREADS) {
            scheduler.dispose();
        }
    }

    @Test
    void ringAndGroupFluxesAnswerScannableAsReactorsOwnSources() {
        final RingBuffer ring = Rings.ring("scanned", 4096);
        final Scannable ringFlux = Scannable.from(RingBufferFlux.records(ring));
        assertThat(ringFlux.name()).isEqualTo("scanned");
        assertThat(ringFlux.tags()).containsExactly(Tuples.of("ring", "scanned"));
        assertThat(ringFlux.scan(Scannable.Attr.PARENT)).as("a source has no parent").isNull();

        final RingGroup group = RingGroup.of(Rings.ring("g1", 4096));
        final Scannable groupFlux = Scannable.from(RingGroupFlux.records(group));
        assertThat(groupFlux.name()).isEqualTo(group.toString());
        assertThat(groupFlux.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.ASYNC);

        // A failing drain reports its error, as Reactor's operators do.
        final List<Scannable> subscriptions = new CopyOnWriteArrayList<>();
        StepVerifier.create(RingBufferFlux.decode(ring, record -> {
                    throw new IllegalArgumentException("bad record");
                }).doOnSubscribe(subscription -> subscriptions.add(Scannable.from(subscription))))
                .then(() -> Rings.put(ring, 1))
                .expectErrorMessage("bad record")
                .verify(TIMEOUT);
        assertThat(subscriptions.get(0).scan(Scannable.Attr.ERROR)).hasMessage("bad record");
        assertThat(subscriptions.get(0).scan(Scannable.Attr.TERMINATED)).isTrue();
    }

    @Test
    void everyPublicFluxGoesThroughTheAssemblyHooks() {
        final List<String> assembled = new CopyOnWriteArrayList<>();
        Hooks.onEachOperator("one-drain-test", publisher -> {
            assembled.add(Scannable.from(publisher).stepName());
            return publisher;
        });
        try {
            final RingBuffer ring = Rings.ring("hooked", 4096);
            RingBufferFlux.records(ring);
            RingBufferFlux.decode(ring, Rings::seq);
            RingGroupFlux.records(RingGroup.of(Rings.ring("hooked-member", 4096)));
            RingFanOut.builder(Flux.<Long>never()).build().connect("hooked-client", 8);
        } finally {
            Hooks.resetOnEachOperator("one-drain-test");
        }
        assertThat(assembled).contains("ringbuf(hooked)", "ringbuf(RingGroup[hooked-member])",
                "ringFanOut(hooked-client)");
        assertThat(assembled.stream().filter("ringbuf(hooked)"::equals)).hasSize(2);
    }

    @Test
    void aSecondGroupSubscriberFollowsTheRingsRuleItQueuesThenFailsIfTheFirstStaysLive() {
        final RingBuffer a = Rings.ring("second", 4096);
        final RingGroup group = RingGroup.of(a);
        final Flux<GroupRecord> records = RingGroupFlux.records(group);
        Rings.put(a, 1);
        StepVerifier.create(records, 1)
                .expectNextCount(1)
                .then(() -> StepVerifier.create(RingGroupFlux.records(group))
                        .expectErrorMatches(error -> error instanceof IllegalStateException
                                && error.getMessage().contains("already has a subscriber, still live after PT1S"))
                        .verify(TIMEOUT))
                .thenCancel()
                .verify(TIMEOUT);
        // and one that subscribes right after a cancel takes over, resuming where the first stopped
        Rings.put(a, 2);
        StepVerifier.create(RingGroupFlux.records(group).map(record -> record.getLong(0)), 1)
                .expectNext(2L)
                .thenCancel()
                .verify(TIMEOUT);
    }
}
