package dev.ringbuf.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's counts, kept in plain atomics (read by the handle's accessors) and, when a registry is given, bound
 * to Micrometer as {@code ringbuf.kafka.records.sent}, {@code ringbuf.kafka.send.errors}, {@code
 * ringbuf.kafka.in.flight} and {@code ringbuf.kafka.send.latency}, all tagged {@code ring}.
 */
final class RelayMeters {

    static final String SENT = "ringbuf.kafka.records.sent";
    static final String ERRORS = "ringbuf.kafka.send.errors";
    static final String IN_FLIGHT = "ringbuf.kafka.in.flight";
    static final String LATENCY = "ringbuf.kafka.send.latency";

    final AtomicLong sent = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    private final Timer latency;

    RelayMeters(MeterRegistry registry, String ring) {
        if (registry == null) {
            latency = null;
            return;
        }
        final Tags tags = Tags.of("ring", ring);
        FunctionCounter.builder(SENT, sent, AtomicLong::get)
                .description("Records Kafka acknowledged (acks=all); their ring space is released")
                .baseUnit("records").tags(tags).register(registry);
        FunctionCounter.builder(ERRORS, errors, AtomicLong::get)
                .description("Failed send attempts (retriable ones are sent again, in ring order)")
                .baseUnit("errors").tags(tags).register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Records taken from the ring and not yet acknowledged by Kafka")
                .baseUnit("records").tags(tags).register(registry);
        latency = Timer.builder(LATENCY)
                .description("From the first send of a record to Kafka's acknowledgement")
                .tags(tags).register(registry);
    }

    void acknowledged(long sendNanos) {
        sent.incrementAndGet();
        if (latency != null) {
            latency.record(System.nanoTime() - sendNanos, TimeUnit.NANOSECONDS);
        }
    }
}
