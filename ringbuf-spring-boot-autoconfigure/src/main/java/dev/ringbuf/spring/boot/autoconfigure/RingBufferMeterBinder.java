package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Binds a {@link RingBufferMetrics} for every {@link RingBuffer} bean to each registry Spring Boot gives it: the
 * meters {@code ringbuf.*}, tagged {@code ring} = the ring's name, with their usual Prometheus names
 * ({@code ringbuf_records_dropped_total{reason}}, {@code ringbuf_available_bytes}, ...).
 */
public class RingBufferMeterBinder implements MeterBinder {

    private final Supplier<List<RingBuffer>> rings;

    /**
     * The binder.
     *
     * @param rings the rings, read when a registry is bound
     */
    public RingBufferMeterBinder(Supplier<List<RingBuffer>> rings) {
        this.rings = Objects.requireNonNull(rings, "rings must not be null");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RingBuffer ring : rings.get()) {
            new RingBufferMetrics(ring).bindTo(registry);
        }
    }
}
