package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every ring's meters in Spring Boot's registry, tagged with the ring's name, under their usual Prometheus names. */
class RingBufferMetricsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    PrometheusMetricsExportAutoConfiguration.class, RingBufferAutoConfiguration.class,
                    RingBufferMetricsAutoConfiguration.class));

    @Test
    void everyRingIsMeteredWithItsNameAsTheRingTag() {
        runner.withUserConfiguration(UserRing.class)
                .withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.audit.capacity=1KB")
                .run(context -> {
                    final MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean("events", RingBuffer.class).output(new byte[8]);
                    assertThat(registry.get("ringbuf.capacity").tag("ring", "events").gauge().value())
                            .isEqualTo(4096);
                    assertThat(registry.get("ringbuf.capacity").tag("ring", "audit").gauge().value())
                            .isEqualTo(1024);
                    assertThat(registry.get("ringbuf.capacity").tag("ring", "mine").gauge().value())
                            .isEqualTo(128); // the application's own ring too
                    assertThat(registry.get("ringbuf.available").tag("ring", "events").gauge().value())
                            .isEqualTo(16);
                });
    }

    @Test
    void prometheusNamesAreUnchanged() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB").run(context -> {
            final String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
            assertThat(scrape).contains("ringbuf_records_dropped_total{reason=\"full\",ring=\"events\"}",
                    "ringbuf_records_consumed_total{ring=\"events\"}", "ringbuf_available_bytes{ring=\"events\"}",
                    "ringbuf_capacity_bytes{ring=\"events\"} 4096");
        });
    }

    @Test
    void noMetersWithoutMicrometer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class,
                        RingBufferMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("ringbuf.rings.events.capacity=4KB")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RingBuffer.class)
                        .doesNotHaveBean(RingBufferMeterBinder.class));
    }

    @Test
    void noMetersWithoutRingbufReactor() {
        runner.withClassLoader(new FilteredClassLoader(RingBufferMetrics.class))
                .withPropertyValues("ringbuf.rings.events.capacity=4KB")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RingBufferMeterBinder.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRing {

        @Bean
        RingBuffer userRing() {
            return RingBuffer.builder().name("mine").capacity(128).build();
        }
    }
}
