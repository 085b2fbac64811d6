package dev.ringbuf.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A receiver's counts, bound to Micrometer when a registry is given, tagged {@code group}: {@code
 * ringbuf.kafka.receiver.records} (emitted), {@code .commits{result}}, {@code .deserialization.failures}
 * (counters), {@code .lag} (records behind the end of the assigned partitions, as the consumer last saw it) and
 * {@code .unacknowledged} (received, not yet acknowledged).
 */
final class ReceiverMeters {

    final AtomicLong records = new AtomicLong();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong commitFailures = new AtomicLong();
    final AtomicLong deserializationFailures = new AtomicLong();
    /** Written by the poll thread after each poll. */
    final AtomicLong lag = new AtomicLong();

    ReceiverMeters() {
    }

    void bindTo(MeterRegistry registry, String group, IntSupplier unacknowledged) {
        final Tags tags = Tags.of("group", group);
        FunctionCounter.builder("ringbuf.kafka.receiver.records", records, AtomicLong::get)
                .description("Records emitted to the subscriber").tags(tags).register(registry);
        FunctionCounter.builder("ringbuf.kafka.receiver.commits", commits, AtomicLong::get)
                .description("Commits of acknowledged offsets").tags(tags.and("result", "success")).register(registry);
        FunctionCounter.builder("ringbuf.kafka.receiver.commits", commitFailures, AtomicLong::get)
                .description("Commits of acknowledged offsets").tags(tags.and("result", "failure")).register(registry);
        FunctionCounter.builder("ringbuf.kafka.receiver.deserialization.failures", deserializationFailures,
                AtomicLong::get).description("Records a deserializer rejected (skipped or failing the Flux)")
                .tags(tags).register(registry);
        Gauge.builder("ringbuf.kafka.receiver.lag", lag, AtomicLong::get)
                .description("Records behind the end of the assigned partitions").baseUnit("records").tags(tags)
                .register(registry);
        Gauge.builder("ringbuf.kafka.receiver.unacknowledged", unacknowledged, IntSupplier::getAsInt)
                .description("Records received and not yet acknowledged").baseUnit("records").tags(tags)
                .strongReference(true).register(registry); // a lambda: held here, or it is collected
    }
}
