package dev.ringbuf.reactor;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One ring, many subscribers: fans the ring's single-subscriber Flux out, each subscriber with its own bounded
 * buffer, so that a slow subscriber drops (and counts) only its own newest items and never slows the others, nor
 * the ring's consumer. What every SSE or WebSocket feed needs.
 *
 * <pre>
 *   ring Flux ──(one subscription, unbounded demand)──► multicast (direct, best effort)
 *        ├─► subscriber A: its buffer (A's size, drops its newest, counted for A) ─► publishOn ─► A
 *        └─► subscriber B: its buffer (B's size, drops its newest, counted for B) ─► publishOn ─► B
 * </pre>
 *
 * <pre>{@code
 * RingFanOut<Event> feed = RingFanOut.builder(RingBufferFlux.decode(ring, EventCodec::decode))
 *         .metrics(registry)                          // ringbuf.fanout.* meters, optional
 *         .start();
 * Flux<Event> forOneClient = feed.connect("dashboard-1", 1024);
 * long lost = feed.dropped("dashboard-1");
 * }</pre>
 *
 * <p>The source is subscribed once ({@link #start()}), with unbounded demand: the ring drops only
 * when its producers outrun the consumer, never because of a subscriber. Items must be immutable: decode (or
 * {@code copy()}) records before the fan-out, a view is not valid past its {@code onNext}. Items that arrive while
 * nobody is connected are not kept (a live feed, not a log).
 *
 * <p>Guarantees per subscriber: the order of the source; no duplicates; loss only of its own newest items when its
 * buffer is full, each counted once ({@link #dropped(String)}, and the dropped counter).
 *
 * @param <T> the item type, immutable
 */
public final class RingFanOut<T> implements Disposable {

    /** Items in flight from a subscriber's buffer to its delivery worker, on top of the buffer itself. */
    public static final int DELIVERY_PREFETCH = 32;

    /** What a subscriber may call itself: it becomes a tag value, so keep it short and plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Flux<T> source;
    private final Scheduler deliveryScheduler;
    private final FanOutMeters meters;
    private final Sinks.Many<T> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final Map<String, LongAdder> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong nextName = new AtomicLong(1);
    private final Object idle = new Object();
    private volatile Disposable upstream;

    RingFanOut(Flux<T> source, Scheduler deliveryScheduler, FanOutMeters meters) {
        this.source = source;
        this.deliveryScheduler = deliveryScheduler;
        this.meters = meters;
        meters.registerGauge(subscribers);
    }

    /**
     * A builder for a fan-out of {@code source}.
     *
     * @param source the single-subscriber source, typically {@code RingBufferFlux.decode(ring, decoder)}
     * @param <T> the item type, immutable
     * @return the builder
     * @throws NullPointerException if {@code source} is null
     */
    public static <T> RingFanOutBuilder<T> builder(Flux<T> source) {
        return new RingFanOutBuilder<>(Objects.requireNonNull(source, "source must not be null"));
    }

    /**
     * Subscribes to the source, once: from now on the source is drained whether or not subscribers are connected.
     * ({@link RingFanOutBuilder#start()} builds and starts; {@link RingFanOutBuilder#build()} leaves it to a
     * lifecycle, such as Spring's.)
     *
     * @return this
     * @throws IllegalStateException if already started
     */
    public synchronized RingFanOut<T> start() {
        if (upstream != null) {
            throw new IllegalStateException("fan-out already started");
        }
        // One emitter (the source's onNext is serial): tryEmitNext never meets FAIL_NON_SERIALIZED, and
        // FAIL_ZERO_SUBSCRIBER (nobody connected) is fine for a live feed.
        upstream = source.subscribe(sink::tryEmitNext,
                error -> {
                    sink.tryEmitError(error);
                    terminated.tryEmitEmpty();
                },
                () -> {
                    sink.tryEmitComplete();
                    terminated.tryEmitEmpty();
                });
        return this;
    }

    /**
     * A subscriber's stream: the items that arrive from now on, through a buffer of {@code bufferSize} items (plus
     * {@value #DELIVERY_PREFETCH} in flight to its delivery worker). Each subscription is one subscriber; it
     * completes when the source completes, after its buffer is delivered.
     *
     * @param requestedName the name asked for (a meter tag): {@code null} or one outside {@code [A-Za-z0-9._-]{1,64}}
     *     gets {@code subscriber-<n>}, a name in use gets a {@code -<n>} suffix
     * @param bufferSize items buffered for this subscriber before its newest items are dropped, at least 1
     * @return the subscriber's stream, cold: the subscriber is registered when it subscribes
     * @throws IllegalArgumentException if {@code bufferSize < 1}
     */
    public Flux<T> connect(@Nullable String requestedName, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
        }
        return Flux.defer(() -> {
            final LongAdder dropped = new LongAdder();
            final String name = register(requestedName, dropped);
            final FanOutMeters.Subscriber counted = meters.subscriber(name, dropped);
            return sink.asFlux()
                    // Unbounded demand towards the sink, so the shared stream never waits for this subscriber; at
                    // most bufferSize items wait for its demand, then its newest items are dropped and counted.
                    .onBackpressureBuffer(bufferSize, item -> dropped.increment(), BufferOverflowStrategy.DROP_LATEST)
                    // Delivery on a worker, never on the ring's thread.
                    .publishOn(deliveryScheduler, DELIVERY_PREFETCH)
                    .doOnNext(item -> counted.sent())
                    .doFinally(signal -> {
                        counted.remove();
                        unregister(name);
                    });
        });
    }

    /**
     * A subscriber's stream under a generated name.
     *
     * @param bufferSize items buffered for this subscriber
     * @return the subscriber's stream
     */
    public Flux<T> connect(int bufferSize) {
        return connect(null, bufferSize);
    }

    /**
     * Items dropped so far for a connected subscriber because its buffer was full.
     *
     * @param name the subscriber's name, as {@link #subscribers()} lists it
     * @return the count, or 0 if no such subscriber is connected
     */
    public long dropped(String name) {
        final LongAdder dropped = subscribers.get(name);
        return dropped == null ? 0 : dropped.sum();
    }

    /**
     * Completes when the source has terminated (the ring was closed and drained, or it failed).
     *
     * @return the signal
     */
    public Mono<Void> terminated() {
        return terminated.asMono();
    }

    /**
     * The subscribers connected now.
     *
     * @return their names, a snapshot
     */
    public Set<String> subscribers() {
        return Set.copyOf(subscribers.keySet());
    }

    /**
     * Waits until no subscriber is connected (every stream has completed or been cancelled).
     *
     * @param timeout the longest wait
     * @return {@code true} if none is connected
     * @throws InterruptedException if interrupted
     */
    public boolean awaitNoSubscribers(Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!subscribers.isEmpty()) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Cancels the subscription to the source (subscribers complete only when the source completes). */
    @Override
    public void dispose() {
        final Disposable subscription = upstream;
        if (subscription != null) {
            subscription.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        final Disposable subscription = upstream;
        return subscription != null && subscription.isDisposed();
    }

    private String register(String requestedName, LongAdder dropped) {
        final String base = requestedName != null && NAME.matcher(requestedName).matches()
                ? requestedName : "subscriber-" + nextName.getAndIncrement();
        String name = base;
        for (int n = 2; subscribers.putIfAbsent(name, dropped) != null; n++) {
            name = base + "-" + n;
        }
        return name;
    }

    private void unregister(String name) {
        synchronized (idle) {
            subscribers.remove(name);
            idle.notifyAll();
        }
    }
}
