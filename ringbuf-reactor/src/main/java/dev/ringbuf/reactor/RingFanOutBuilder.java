package dev.ringbuf.reactor;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Configures a {@link RingFanOut}: where subscribers' items are delivered, how far a subscriber may lag, what
 * happens to one that lags without demand, and its meters.
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
    private int maxBufferSize = DEFAULT_MAX_BUFFER_SIZE;
    private Duration untetherAfter = DEFAULT_UNTETHER_AFTER;
    private RingFanOut.LagPolicy lagPolicy = RingFanOut.LagPolicy.DROP_OLDEST;

    /** The default of {@link #maxBufferSize(int)}: 65,536 items. */
    public static final int DEFAULT_MAX_BUFFER_SIZE = 1 << 16;

    /** The default of {@link #untetherAfter(Duration)}: one second. */
    public static final Duration DEFAULT_UNTETHER_AFTER = Duration.ofSeconds(1);

    RingFanOutBuilder(Flux<T> source) {
        this.source = source;
    }

    /**
     * Where each subscriber's items are delivered to it (each subscriber on its own worker). Default
     * {@code Schedulers.parallel()}, looked up at {@link #build()}.
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
     * The largest {@code bufferSize} a subscriber may {@link RingFanOut#connect(String, int) connect} with: the
     * window every subscriber reads from holds this many items (rounded up to a power of two). Default
     * {@value #DEFAULT_MAX_BUFFER_SIZE}.
     *
     * @param items at least 1, at most 2^24
     * @return this builder
     * @throws IllegalArgumentException if {@code items} is out of that range
     */
    public RingFanOutBuilder<T> maxBufferSize(int items) {
        if (items < 1 || items > 1 << 24) {
            throw new IllegalArgumentException("maxBufferSize must be between 1 and 16777216, was " + items);
        }
        this.maxBufferSize = items;
        return this;
    }

    /**
     * How long a subscriber that sits at its buffer's bound without demand still holds the others (the ring
     * absorbs the burst meanwhile) before it is untethered and drops its own items, as {@link #lagPolicy} says.
     * The grace covers operators that request in batches, such as {@code publishOn}, which have no demand for a
     * moment between batches, and a client starved of CPU for a moment. Default one second; {@code Duration.ZERO}
     * untethers at once.
     *
     * @param grace zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code grace} is negative
     * @throws NullPointerException if {@code grace} is null
     */
    public RingFanOutBuilder<T> untetherAfter(Duration grace) {
        if (Objects.requireNonNull(grace, "untetherAfter must not be null").isNegative()) {
            throw new IllegalArgumentException("untetherAfter must not be negative, was " + grace);
        }
        this.untetherAfter = grace;
        return this;
    }

    /**
     * What happens to an untethered subscriber that lags past its buffer: {@link RingFanOut.LagPolicy#DROP_OLDEST}
     * (default: it keeps its newest items and counts the rest) or {@link RingFanOut.LagPolicy#FAIL} (its stream
     * fails with an overflow error).
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public RingFanOutBuilder<T> lagPolicy(RingFanOut.LagPolicy policy) {
        this.lagPolicy = Objects.requireNonNull(policy, "lagPolicy must not be null");
        return this;
    }

    /**
     * Registers the fan-out's meters in {@code registry}: a gauge of connected subscribers
     * ({@code ringbuf.fanout.subscribers}) and, per connected subscriber, function counters of items sent and dropped
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
        final int capacity = Integer.highestOneBit(maxBufferSize) == maxBufferSize
                ? maxBufferSize : Integer.highestOneBit(maxBufferSize) << 1;
        return new RingFanOut<>(source, deliveryScheduler != null ? deliveryScheduler : Schedulers.parallel(),
                meters, new FanOutWindow<>(capacity, untetherAfter, lagPolicy));
    }
}
