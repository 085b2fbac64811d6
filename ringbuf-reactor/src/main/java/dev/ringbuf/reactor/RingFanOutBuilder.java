package dev.ringbuf.reactor;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Configures a {@link RingFanOut}: where subscribers' items are delivered, and its meters.
 *
 * <pre>{@code
 * RingFanOut<Event> feed = RingFanOut.builder(events)
 *         .deliveryScheduler(Schedulers.parallel())
 *         .metrics(registry)
 *         .meterNames("feed.clients", "feed.client.events.sent", "feed.client.events.dropped", "client")
 *         .start();
 * }</pre>
 *
 * @param <T> the item type
 */
public final class RingFanOutBuilder<T> {

    private final Flux<T> source;
    private Scheduler deliveryScheduler;
    private MeterRegistry registry;
    private String subscribersGauge = "ringbuf.fanout.subscribers";
    private String sentCounter = "ringbuf.fanout.sent";
    private String droppedCounter = "ringbuf.fanout.dropped";
    private String tag = "subscriber";

    RingFanOutBuilder(Flux<T> source) {
        this.source = source;
    }

    /**
     * Where each subscriber's buffer is drained towards it. Default {@code Schedulers.parallel()}, looked up at
     * {@link #start()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public RingFanOutBuilder<T> deliveryScheduler(Scheduler scheduler) {
        this.deliveryScheduler = Objects.requireNonNull(scheduler, "deliveryScheduler must not be null");
        return this;
    }

    /**
     * Registers the fan-out's meters in {@code registry}: a gauge of connected subscribers
     * ({@code ringbuf.fanout.subscribers}) and, per connected subscriber, counters of items sent and dropped
     * ({@code ringbuf.fanout.sent}, {@code ringbuf.fanout.dropped}, tag {@code subscriber}), removed when the
     * subscriber goes so that the tag's cardinality stays that of the connected subscribers.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public RingFanOutBuilder<T> metrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        return this;
    }

    /**
     * Renames the meters (for dashboards that already use other names).
     *
     * @param subscribersGauge the gauge of connected subscribers
     * @param sentCounter the per-subscriber counter of items handed over
     * @param droppedCounter the per-subscriber counter of items dropped
     * @param tag the tag naming the subscriber
     * @return this builder
     * @throws NullPointerException if a name is null
     */
    public RingFanOutBuilder<T> meterNames(String subscribersGauge, String sentCounter, String droppedCounter,
            String tag) {
        this.subscribersGauge = Objects.requireNonNull(subscribersGauge, "subscribersGauge must not be null");
        this.sentCounter = Objects.requireNonNull(sentCounter, "sentCounter must not be null");
        this.droppedCounter = Objects.requireNonNull(droppedCounter, "droppedCounter must not be null");
        this.tag = Objects.requireNonNull(tag, "tag must not be null");
        return this;
    }

    /**
     * Builds the fan-out and subscribes to the source, once: from now on the source is drained whether or not
     * subscribers are connected.
     *
     * @return the running fan-out
     */
    public RingFanOut<T> start() {
        return build().start();
    }

    /**
     * Builds the fan-out without subscribing to the source: call {@link RingFanOut#start()} later (a lifecycle's
     * start).
     *
     * @return the fan-out, not started
     */
    public RingFanOut<T> build() {
        final FanOutMeters meters = new FanOutMeters(registry, subscribersGauge, sentCounter, droppedCounter, tag);
        return new RingFanOut<>(source, deliveryScheduler != null ? deliveryScheduler : Schedulers.parallel(),
                meters);
    }
}
