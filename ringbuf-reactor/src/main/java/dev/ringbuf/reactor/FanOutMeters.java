package dev.ringbuf.reactor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A {@link RingFanOut}'s meters, or none when no registry was given. */
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

    /** The meters of one connected subscriber; {@code dropped} is its own count, read by a function counter. */
    Subscriber subscriber(String name, LongAdder dropped) {
        if (registry == null) {
            return Subscriber.NONE;
        }
        final Counter sent = Counter.builder(sentCounter).tag(tag, name)
                .description("Items handed to this subscriber").register(registry);
        final FunctionCounter lost = FunctionCounter.builder(droppedCounter, dropped, LongAdder::sum).tag(tag, name)
                .description("Items dropped for this subscriber because its buffer was full").register(registry);
        return new Subscriber(registry, sent, lost);
    }

    /** One subscriber's meters. */
    static class Subscriber {
        static final Subscriber NONE = new Subscriber(null, null, null);

        private final MeterRegistry registry;
        private final Counter sent;
        private final FunctionCounter dropped;

        Subscriber(MeterRegistry registry, Counter sent, FunctionCounter dropped) {
            this.registry = registry;
            this.sent = sent;
            this.dropped = dropped;
        }

        void sent() {
            if (sent != null) {
                sent.increment();
            }
        }

        void remove() {
            if (registry != null) {
                registry.remove(sent);
                registry.remove(dropped);
            }
        }
    }
}
