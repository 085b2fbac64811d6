package dev.ringbuf.reactor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * A {@link RingFanOut}'s meters, or none when no registry was given. Function counters and gauges only: they read
 * each subscriber's own counts when scraped, nothing is called on the delivery path.
 */
final class FanOutMeters {

    private final MeterRegistry registry;
    private final String subscribersGauge;
    private final String sentCounter;
    private final String droppedCounter;
    private final String tag;

    FanOutMeters(MeterRegistry registry, String subscribersGauge, String sentCounter, String droppedCounter,
            String tag) {
        this.registry = registry;
        this.subscribersGauge = subscribersGauge;
        this.sentCounter = sentCounter;
        this.droppedCounter = droppedCounter;
        this.tag = tag;
    }

    void registerGauge(Map<String, ?> subscribers) {
        if (registry != null) {
            Gauge.builder(subscribersGauge, subscribers, Map::size)
                    .description("Subscribers connected to the fan-out")
                    .register(registry);
        }
    }

    /** Registers one connected subscriber's counters, reading its own counts. */
    void subscriber(FanOutReader<?> reader) {
        if (registry != null) {
            FunctionCounter.builder(sentCounter, reader, FanOutReader::delivered).tag(tag, reader.name)
                    .description("Items handed to this subscriber").register(registry);
            FunctionCounter.builder(droppedCounter, reader, FanOutReader::dropped).tag(tag, reader.name)
                    .description("Items this subscriber missed because it lagged past its buffer without demand")
                    .register(registry);
        }
    }

    /** Removes a subscriber's counters, so that the tag's cardinality stays that of the connected subscribers. */
    void remove(String name) {
        if (registry != null) {
            for (Meter meter : registry.find(sentCounter).tag(tag, name).meters()) {
                registry.remove(meter);
            }
            for (Meter meter : registry.find(droppedCounter).tag(tag, name).meters()) {
                registry.remove(meter);
            }
        }
    }
}
