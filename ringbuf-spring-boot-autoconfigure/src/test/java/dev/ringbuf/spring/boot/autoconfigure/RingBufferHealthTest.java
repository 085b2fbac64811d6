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

/**
 * One health indicator per ring under {@code ringbuf}: DOWN when closed or blocked, OUT_OF_SERVICE when it drops while
 * nothing consumes it, with fill, drop rates over a fixed window and lag.
 */
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
    void dropRatesCoverAFixedWindowSoTwoChecksInARowAgree() {
        final RingBuffer ring = full("small");
        final AtomicLong clock = new AtomicLong();
        final HealthIndicator indicator = new RingBufferHealthIndicator(ring, Duration.ofSeconds(5),
                Duration.ofMinutes(1), r -> 0L, clock::get);
        for (int i = 0; i < 10; i++) {
            assertThat(ring.output(new byte[40])).isFalse();
        }
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        final Map<String, Object> details = indicator.health().getDetails();
        assertThat(details.get("dropRate")).isEqualTo(Map.of("full", 5.0, "closed", 0.0, "oversize", 0.0));
        assertThat(details).containsEntry("dropRateSeconds", 2.0);
        assertThat(details.get("dropped")).isEqualTo(Map.of("full", 10L, "closed", 0L, "oversize", 0L));
        assertThat(indicator.health().getDetails().get("dropRate")) // at once again: the same window, not 0
                .isEqualTo(Map.of("full", 5.0, "closed", 0.0, "oversize", 0.0));

        clock.addAndGet(Duration.ofSeconds(3).toNanos()); // no drop since: still 10 drops, now over 5 seconds
        assertThat(indicator.health().getDetails()).containsEntry("dropRateSeconds", 5.0)
                .containsEntry("dropRate", Map.of("full", 2.0, "closed", 0.0, "oversize", 0.0));

        clock.addAndGet(Duration.ofSeconds(61).toNanos()); // the drops have left the one-minute window
        final Health later = indicator.health();
        assertThat(later.getDetails()).containsEntry("dropRate", Map.of("full", 0.0, "closed", 0.0, "oversize", 0.0));
        assertThat((double) later.getDetails().get("dropRateSeconds")).isBetween(60.0, 64.0);
        assertThat(later.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aRingThatDropsWhileNothingConsumesItIsOutOfServiceWithTheReason() {
        final RingBuffer ring = full("orphan");
        final AtomicLong clock = new AtomicLong();
        final HealthIndicator indicator = new RingBufferHealthIndicator(ring, Duration.ofSeconds(5),
                Duration.ofSeconds(10), r -> 0L, clock::get);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP); // full, but nothing lost yet
        assertThat(ring.output(new byte[40])).isFalse();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());

        final Health dropping = indicator.health();
        assertThat(dropping.getStatus()).isEqualTo(Status.OUT_OF_SERVICE)
                .isEqualTo(RingBufferHealthIndicator.NOT_CONSUMED);
        assertThat((String) dropping.getDetails().get("reason")).contains("1 records dropped and none consumed")
                .contains("nothing reads this ring");
        assertThat(dropping.getDetails()).containsEntry("fill", 0.75).containsEntry("consumed", 0L);
    }

    @Test
    void aRingThatDropsWhileItsConsumerReadsIsUp() {
        final RingBuffer ring = full("busy");
        final AtomicLong clock = new AtomicLong();
        final HealthIndicator indicator = new RingBufferHealthIndicator(ring, Duration.ofSeconds(5),
                Duration.ofSeconds(10), r -> 0L, clock::get);
        assertThat(ring.output(new byte[40])).isFalse(); // drop newest: the overflow policy at work
        assertThat(ring.consume(record -> { })).isEqualTo(1);
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        final Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("dropRate", Map.of("full", 1.0, "closed", 0.0, "oversize", 0.0));
    }

    @Test
    void theWindowComesFromThePropertyAndMustBePositive() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.health.window=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(RingPropertyValidationTest.find(context.getStartupFailure(),
                    InvalidConfigurationPropertyValueException.class).getName()).isEqualTo("ringbuf.health.window");
        });
    }

    /** A ring of 64 bytes with one 48-byte record in it: no room for another. */
    private static RingBuffer full(String name) {
        final RingBuffer ring = RingBuffer.builder().name(name).capacity(64).maxRecordSize(40).build();
        assertThat(ring.output(new byte[40])).isTrue();
        return ring;
    }

    @Test
    void aConsumerBlockedByABusyRecordPastTheThresholdIsDown() {
        final RingBuffer ring = RingBuffer.builder().name("blocked").capacity(1 << 12).build();
        final AtomicLong blocked = new AtomicLong(Duration.ofSeconds(4).toNanos());
        final HealthIndicator indicator = new RingBufferHealthIndicator(ring, Duration.ofSeconds(5),
                RingBufferHealthIndicator.DEFAULT_WINDOW, r -> blocked.get(), System::nanoTime);
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
        runner.withBean("mine", RingBuffer.class, () -> RingBuffer.builder().name("clicks").capacity(128).build())
                .run(context -> {
                    final CompositeHealthContributor rings = context.getBean("ringbufHealthContributor",
                            CompositeHealthContributor.class);
                    final Health health = indicator(rings, "mine").health(); // by bean name
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("ring", "clicks"); // its meters' ring tag
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
