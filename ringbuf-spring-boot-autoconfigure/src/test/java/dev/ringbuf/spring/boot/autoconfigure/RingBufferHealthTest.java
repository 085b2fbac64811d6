package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** One health indicator per ring under {@code ringbuf}: DOWN when closed or blocked, with fill, drop rates and lag. */
class RingBufferHealthTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class,
                    RingBufferHealthAutoConfiguration.class));

    private static HealthIndicator indicator(CompositeHealthContributor rings, String name) {
        return (HealthIndicator) rings.getContributor(name);
    }

    @Test
    void eachRingIsAnIndicatorUnderRingbufUpWithItsDetailsAndDownOnceClosed() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.audit.capacity=1KB")
                .run(context -> {
                    final CompositeHealthContributor rings = context.getBean("ringbufHealthContributor",
                            CompositeHealthContributor.class);
                    assertThat(rings.stream().map(entry -> entry.name())).containsExactlyInAnyOrder("events", "audit");
                    final RingBuffer ring = context.getBean("events", RingBuffer.class);
                    ring.output(new byte[1016]); // 1024 bytes with its header: a quarter of the ring

                    final Health up = indicator(rings, "events").health();
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails()).containsEntry("capacity", 4096).containsEntry("lag", 1024L)
                            .containsEntry("fill", 0.25).containsEntry("consumed", 0L)
                            .containsEntry("blocked", "PT0S").containsKeys("dropRate", "dropped");

                    ring.close();
                    final Health down = indicator(rings, "events").health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat((String) down.getDetails().get("reason")).startsWith("closed");
                    assertThat(indicator(rings, "audit").health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void dropRatesAreRecordsPerSecondSinceThePreviousCheckAndTotalsAreKept() {
        final RingBuffer ring = RingBuffer.builder().name("small").capacity(64).maxRecordSize(40).build();
        final AtomicLong clock = new AtomicLong();
        final HealthIndicator indicator = new RingBufferHealthIndicator(ring, Duration.ofSeconds(5), r -> 0L,
                clock::get);
        ring.output(new byte[40]); // 48 bytes: the ring (at most 56 bytes of records) has no room for another
        for (int i = 0; i < 10; i++) {
            assertThat(ring.output(new byte[40])).isFalse();
        }
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        final Map<String, Object> details = indicator.health().getDetails();
        assertThat(details.get("dropRate")).isEqualTo(Map.of("full", 5.0, "closed", 0.0, "oversize", 0.0));
        assertThat(details.get("dropped")).isEqualTo(Map.of("full", 10L, "closed", 0L, "oversize", 0L));

        clock.addAndGet(Duration.ofSeconds(1).toNanos()); // no drop in this interval
        assertThat(indicator.health().getDetails().get("dropRate"))
                .isEqualTo(Map.of("full", 0.0, "closed", 0.0, "oversize", 0.0));
    }

    @Test
    void aConsumerBlockedByABusyRecordPastTheThresholdIsDown() {
        final RingBuffer ring = RingBuffer.builder().name("blocked").capacity(1 << 12).build();
        final AtomicLong blocked = new AtomicLong(Duration.ofSeconds(4).toNanos());
        final HealthIndicator indicator = new RingBufferHealthIndicator(ring, Duration.ofSeconds(5),
                r -> blocked.get(), System::nanoTime);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(indicator.health().getDetails()).containsEntry("blocked", "PT4S");

        blocked.set(Duration.ofSeconds(6).toNanos());
        final Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) down.getDetails().get("reason")).contains("blocked by a busy record for PT6S")
                .contains("threshold PT5S");
    }

    @Test
    void aStuckReservationTurnsTheRingDownPastTheThresholdAndUpOnceCommitted() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.health.blocked-threshold=20ms")
                .run(context -> {
                    final RingBuffer ring = context.getBean(RingBuffer.class);
                    final HealthIndicator events = indicator(context.getBean("ringbufHealthContributor",
                            CompositeHealthContributor.class), "events");
                    final Reservation stuck = ring.reserve(8);
                    assertThat(ring.output(new byte[8])).isTrue(); // committed, behind the busy one
                    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (ring.blockedNanos() <= Duration.ofMillis(20).toNanos() && System.nanoTime() < deadline) {
                        assertThat(ring.consume(record -> { })).isZero(); // the consumer polls, stopped at the busy one
                        Thread.onSpinWait();
                    }
                    final Health down = events.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat((String) down.getDetails().get("reason")).contains("blocked by a busy record")
                            .contains("threshold PT0.02S");

                    stuck.commit();
                    assertThat(ring.consume(record -> { })).isEqualTo(2);
                    assertThat(events.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(events.health().getDetails()).containsEntry("blocked", "PT0S");
                });
    }

    @Test
    void theThresholdComesFromTheProperty() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.health.blocked-threshold=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(RingPropertyValidationTest.find(context.getStartupFailure(),
                            InvalidConfigurationPropertyValueException.class).getName())
                            .isEqualTo("ringbuf.health.blocked-threshold");
                });
    }

    @Test
    void theApplicationsOwnRingHasAnIndicatorToo() {
        runner.withBean("mine", RingBuffer.class, () -> RingBuffer.builder().name("mine").capacity(128).build())
                .run(context -> {
                    final CompositeHealthContributor rings = context.getBean("ringbufHealthContributor",
                            CompositeHealthContributor.class);
                    assertThat(indicator(rings, "mine").health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void noIndicatorWithoutTheActuatorsHealthSupport() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .withPropertyValues("ringbuf.rings.events.capacity=4KB")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RingBuffer.class)
                        .doesNotHaveBean("ringbufHealthContributor"));
    }

    @Test
    void noIndicatorWhenDisabledOrWithoutRings() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "management.health.ringbuf.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("ringbufHealthContributor"));
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("ringbufHealthContributor"));
    }
}
