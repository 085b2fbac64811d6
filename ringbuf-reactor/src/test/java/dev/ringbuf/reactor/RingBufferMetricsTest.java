package dev.ringbuf.reactor;

import static dev.ringbuf.reactor.Rings.put;
import static dev.ringbuf.reactor.Rings.putAll;
import static dev.ringbuf.reactor.Rings.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import dev.ringbuf.core.Record;
import reactor.test.scheduler.VirtualTimeScheduler;

class RingBufferMetricsTest {

    @Test
    void bindsExactlyTheMetersOfTheSpecTaggedWithTheRing() {
        RingBuffer ring = ring("orders", 1024);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(ring, Tags.of("app", "shop")).bindTo(registry);

        assertThat(registry.getMeters().stream().map(meter -> meter.getId().getName() + ":"
                + meter.getId().getType() + meter.getId().getTags()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(
                        "ringbuf.records.dropped:COUNTER[tag(app=shop), tag(reason=closed), tag(ring=orders)]",
                        "ringbuf.records.dropped:COUNTER[tag(app=shop), tag(reason=full), tag(ring=orders)]",
                        "ringbuf.records.dropped:COUNTER[tag(app=shop), tag(reason=oversize), tag(ring=orders)]",
                        "ringbuf.records.consumed:COUNTER[tag(app=shop), tag(ring=orders)]",
                        "ringbuf.records.discarded:COUNTER[tag(app=shop), tag(ring=orders)]",
                        "ringbuf.wakeups:COUNTER[tag(app=shop), tag(ring=orders)]",
                        "ringbuf.capacity:GAUGE[tag(app=shop), tag(ring=orders)]",
                        "ringbuf.available:GAUGE[tag(app=shop), tag(ring=orders)]",
                        "ringbuf.consumer.blocked:GAUGE[tag(app=shop), tag(ring=orders)]");
        assertThat(registry.get("ringbuf.capacity").gauge().value()).isEqualTo(1024.0);
        assertThat(registry.get("ringbuf.capacity").gauge().getId().getBaseUnit()).isEqualTo("bytes");
    }

    @Test
    void aRingFileAlsoReportsAbandonedRecords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        try (RingBuffer ring = RingBuffer.builder().name("shared").file(dir.resolve("ring")).capacity(4096).create()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RingBufferMetrics(ring).bindTo(registry);

            assertThat(registry.get("ringbuf.records.abandoned").tag("ring", "shared").functionCounter().count())
                    .isZero();
        }
        RingBuffer inProcess = ring("local", 1024);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(inProcess).bindTo(registry);
        assertThat(registry.find("ringbuf.records.abandoned").functionCounter()).isNull();
    }

    @Test
    void aStuckReservationShowsAsBlockedSecondsAndItsAbandonmentIsCounted() {
        RingBuffer ring = RingBuffer.builder().name("stuck").capacity(1024).stallTimeout(Duration.ofMillis(100))
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(ring).bindTo(registry);
        assertThat(registry.get("ringbuf.consumer.blocked").gauge().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(registry.get("ringbuf.consumer.blocked").gauge().value()).isZero();
        ring.reserve(8); // never committed
        put(ring, 1);
        ring.consume(record -> { });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double blocked = 0;
        while (ring.consume(record -> { }) == 0) {
            blocked = Math.max(blocked, registry.get("ringbuf.consumer.blocked").gauge().value());
            assertThat(System.nanoTime() - deadline).as("abandoned within 30 s").isNegative();
            Thread.onSpinWait();
        }
        assertThat(blocked).as("seconds blocked, seen while the consumer waited at the stuck record").isPositive();
        assertThat(registry.get("ringbuf.records.abandoned").tag("ring", "stuck").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("ringbuf.consumer.blocked").gauge().value()).isZero();
    }

    @Test
    void anOverwriteRingAlsoReportsOverwrittenRecords() {
        RingBuffer ring = RingBuffer.builder().name("recorder").capacity(1024).overwrite(true).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(ring).bindTo(registry);
        putAll(ring, 0, 70); // 63 fit: the first 7 are overwritten unread

        assertThat(registry.get("ringbuf.records.overwritten").tag("ring", "recorder").functionCounter().count())
                .isEqualTo(7.0);
        assertThat(registry.get("ringbuf.available").gauge().value()).isEqualTo(63.0 * 16);
        SimpleMeterRegistry plain = new SimpleMeterRegistry();
        new RingBufferMetrics(ring("normal", 1024)).bindTo(plain);
        assertThat(plain.find("ringbuf.records.overwritten").functionCounter()).isNull();
    }

    @Test
    void countersReadTheRingsOwnCounters() {
        RingBuffer ring = ring("counted", 1024);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingBufferMetrics(ring).bindTo(registry);

        int refused = 0;
        for (long i = 0; i < 70; i++) {
            refused += put(ring, i, i == 0 ? Wakeup.FORCE : Wakeup.NONE) ? 0 : 1;
        }
        assertThatThrownBy(() -> ring.reserve(ring.maxRecordSize() + 1)).isInstanceOf(IllegalArgumentException.class);
        ring.consume(record -> { }, 10);
        int offset = ring.claim(8);
        ring.discard(offset, Wakeup.NONE);
        ring.consume(record -> { });
        ring.close();
        put(ring, 99);

        assertThat(refused).isEqualTo(7);
        assertThat(count(registry, "ringbuf.records.dropped", "full")).isEqualTo(refused)
                .isEqualTo(ring.droppedRecords(DropReason.FULL));
        assertThat(count(registry, "ringbuf.records.dropped", "oversize")).isEqualTo(1);
        assertThat(count(registry, "ringbuf.records.dropped", "closed")).isEqualTo(1);
        assertThat(registry.get("ringbuf.records.consumed").functionCounter().count()).isEqualTo(63.0);
        assertThat(registry.get("ringbuf.records.discarded").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("ringbuf.wakeups").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("ringbuf.available").gauge().value()).isZero();
    }

    @Test
    void demandGaugeExistsWhileASubscriberIsAttached() {
        RingBuffer ring = ring("demanded", 4096);
        SimpleMeterRegistry bound = new SimpleMeterRegistry();
        SimpleMeterRegistry viaBuilder = new SimpleMeterRegistry();
        new RingBufferMetrics(ring).bindTo(bound);
        putAll(ring, 0, 3);

        BaseSubscriber<Record> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                request(10);
            }
        };
        RingBufferFlux.builder(ring).scheduler(VirtualTimeScheduler.create()).pollInterval(Duration.ZERO)
                .metrics(viaBuilder).records().subscribe(subscriber);

        assertThat(bound.get("ringbuf.subscriber.demand").tag("ring", "demanded").gauge().value()).isEqualTo(7.0);
        assertThat(viaBuilder.get("ringbuf.subscriber.demand").tag("ring", "demanded").gauge().value())
                .isEqualTo(7.0);
        subscriber.request(Long.MAX_VALUE);
        assertThat(bound.get("ringbuf.subscriber.demand").gauge().value()).isEqualTo(Long.MAX_VALUE);

        subscriber.cancel();
        assertThat(bound.find("ringbuf.subscriber.demand").meters()).isEmpty();
        assertThat(viaBuilder.find("ringbuf.subscriber.demand").meters()).isEmpty();
        assertThat(bound.getMeters()).extracting(Meter::getId).hasSize(9);
    }

    @Test
    void prometheusNamesAreTheOnesDocumented() {
        RingBuffer ring = ring("prom", 1024);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RingBufferMetrics(ring).bindTo(registry);
        for (long i = 0; i < 64; i++) {
            put(ring, i);
        }
        BaseSubscriber<Record> idle = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                request(0 + 1);
            }
        };
        RingBufferFlux.builder(ring).scheduler(VirtualTimeScheduler.create()).pollInterval(Duration.ZERO).records()
                .subscribe(idle);

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("ringbuf_records_dropped_total{reason=\"full\",ring=\"prom\"} 1.0")
                .contains("ringbuf_records_dropped_total{reason=\"closed\",ring=\"prom\"} 0.0")
                .contains("ringbuf_records_dropped_total{reason=\"oversize\",ring=\"prom\"} 0.0")
                .contains("ringbuf_records_consumed_total{ring=\"prom\"} 1.0")
                .contains("ringbuf_records_discarded_total{ring=\"prom\"} 0.0")
                .contains("ringbuf_wakeups_total{ring=\"prom\"} 1.0")
                .contains("ringbuf_capacity_bytes{ring=\"prom\"} 1024.0")
                .contains("ringbuf_available_bytes{ring=\"prom\"} 992.0")
                .contains("ringbuf_consumer_blocked_seconds{ring=\"prom\"} 0.0")
                .contains("ringbuf_subscriber_demand{ring=\"prom\"} 0.0");
        idle.cancel();
    }

    @Test
    void ringTagIsReserved() {
        RingBuffer ring = ring("reserved", 1024);
        assertThatThrownBy(() -> new RingBufferMetrics(ring, Tags.of("ring", "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag 'ring=other' is reserved");
    }

    private static double count(SimpleMeterRegistry registry, String name, String reason) {
        return registry.get(name).tag("reason", reason).functionCounter().count();
    }
}
