package dev.ringbuf.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The relay's counts, kept in plain atomics (read by the handle's accessors) and, when a registry is given, bound
 * to Micrometer, all tagged {@code ring}: {@code ringbuf.kafka.records.sent}, {@code .records.skipped}, {@code
 * .records.dead.lettered}, {@code .records.reordered}, {@code .send.errors}, {@code .stalls} (counters, Prometheus {@code
 * ringbuf_kafka_records_sent_total} and so on), {@code ringbuf.kafka.in.flight} (records, 0 once the relay ended),
 * {@code ringbuf.kafka.stalled} (1 while stalled) and {@code ringbuf.kafka.send.latency}.
 */
final class RelayMeters {

    RelayMeters() {
    }

    static final String SENT = "ringbuf.kafka.records.sent";
    static final String SKIPPED = "ringbuf.kafka.records.skipped";
    static final String DEAD_LETTERED = "ringbuf.kafka.records.dead.lettered";
    static final String REORDERED = "ringbuf.kafka.records.reordered";
    static final String ERRORS = "ringbuf.kafka.send.errors";
    static final String STALLS = "ringbuf.kafka.stalls";
    static final String STALLED = "ringbuf.kafka.stalled";
    static final String IN_FLIGHT = "ringbuf.kafka.in.flight";
    static final String LATENCY = "ringbuf.kafka.send.latency";

    final AtomicLong sent = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    /** Records sent after a rejected one and acknowledged anyway. */
    final AtomicLong overtaking = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    private Timer latency;

    /** Registers the meters; called once, before the relay starts. */
    void bindTo(MeterRegistry registry, String ring, BooleanSupplier ended, BooleanSupplier stalled) {
        final Tags tags = Tags.of("ring", ring);
        counter(registry, SENT, sent, tags, "Records Kafka acknowledged (acks=all); their ring space is released");
        counter(registry, SKIPPED, skipped, tags, "Poison records released without being sent (policy skip)");
        counter(registry, DEAD_LETTERED, deadLettered, tags, "Poison records sent to the dead-letter topic");
        counter(registry, REORDERED, reordered, tags, "Records acknowledged after a later record of the ring (sent "
                + "again after a failure while the records behind them went through)");
        counter(registry, ERRORS, errors, tags, "Failed send attempts (retriable ones are sent again, in ring order)");
        counter(registry, STALLS, stalls, tags, "Stalls: records waiting and none acknowledged for the stall timeout");
        Gauge.builder(IN_FLIGHT, inFlight, n -> ended.getAsBoolean() ? 0 : n.get())
                .description("Records taken from the ring and not yet acknowledged by Kafka (0 once the relay ended)")
                .baseUnit("records").tags(tags).register(registry);
        Gauge.builder(STALLED, stalled, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while the relay is stalled (see its log for the cause), else 0")
                .tags(tags).strongReference(true).register(registry); // a lambda: held here, or it is collected
        latency = Timer.builder(LATENCY)
                .description("From the first send of a record to Kafka's acknowledgement")
                .tags(tags).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong count, Tags tags, String what) {
        FunctionCounter.builder(name, count, AtomicLong::get).description(what).tags(tags).register(registry);
    }

    void acknowledged(long sendNanos) {
        sent.incrementAndGet();
        if (latency != null) {
            latency.record(System.nanoTime() - sendNanos, TimeUnit.NANOSECONDS);
        }
    }
}
