package dev.ringbuf.samples.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Fans one single-consumer stream (the ring's Flux) out to any number of clients, each with its own bounded buffer,
 * so that a slow client drops its own items and never slows the others, nor the ring's consumer.
 *
 * <pre>
 *   ring Flux ──(one subscription, unbounded demand)──► multicast sink (direct, best effort)
 *        ├─► client A: onBackpressureBuffer(A's size, drop newest, count A) ─► publishOn ─► socket A
 *        └─► client B: onBackpressureBuffer(B's size, drop newest, count B) ─► publishOn ─► socket B
 * </pre>
 *
 * <p>The ring is subscribed once, with unbounded demand: the ring's consumer runs as fast as it can and the ring
 * drops only when the producers outrun it, never because of a client. Each client's
 * {@code onBackpressureBuffer} asks the sink for everything and holds at most {@code bufferSize} items the client
 * has not asked for yet; when that buffer is full (the client's socket is not writable, so its demand is spent)
 * the newest item is dropped for that client alone and counted in {@code feed.client.events.dropped{client=...}}.
 * A {@code publishOn} then hands items ({@value #DELIVERY_PREFETCH} at a time) to a {@link Scheduler} worker that
 * writes them towards the client. The ring's thread does O(1) work per client per item: a queue offer and, at
 * most, a worker wake-up. Items must be immutable (decode the record before the fan-out: a ring record view is
 * not valid past its {@code onNext}).
 *
 * <p>Meters, all in the registry given: {@code feed.clients} (gauge), and per connected client
 * {@code feed.client.events.sent} and {@code feed.client.events.dropped} (counters tagged {@code client}, removed
 * when the client goes, so that the tag's cardinality stays that of the connected clients).
 *
 * <pre>{@code
 * ClientFanOut<Event> feed = new ClientFanOut<>(RingBufferFlux.decode(ring, EventCodec::decode), registry,
 *         Schedulers.parallel()).start();
 * Flux<Event> forOneClient = feed.connect("dashboard-1", 1024);
 * }</pre>
 *
 * @param <T> the item type, immutable
 */
public final class ClientFanOut<T> implements Disposable {

    /** Items in flight from a client's buffer to its delivery worker, on top of the buffer itself. */
    public static final int DELIVERY_PREFETCH = 32;

    /** What a client may call itself: it becomes a tag value, so keep it short and plain. */
    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Flux<T> source;
    private final MeterRegistry registry;
    private final Scheduler deliveryScheduler;
    private final Sinks.Many<T> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final Set<String> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextClient = new AtomicLong(1);
    private final Object idle = new Object();
    private volatile Disposable upstream;

    /**
     * A fan-out, not started yet.
     *
     * @param source the single-subscriber source, typically {@code RingBufferFlux.decode(ring, decoder)}
     * @param registry where the client meters go
     * @param deliveryScheduler where each client's buffer is drained towards the client, for example
     *     {@code Schedulers.parallel()}
     */
    public ClientFanOut(Flux<T> source, MeterRegistry registry, Scheduler deliveryScheduler) {
        this.source = Objects.requireNonNull(source, "source must not be null");
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.deliveryScheduler = Objects.requireNonNull(deliveryScheduler, "deliveryScheduler must not be null");
        Gauge.builder("feed.clients", clients, Set::size)
                .description("Clients connected to the feed")
                .register(registry);
    }

    /**
     * Subscribes to the source, once. From then on the source is drained whether or not clients are connected;
     * items that arrive while none is are not kept (a live feed, not a log).
     *
     * @return this
     * @throws IllegalStateException if already started
     */
    public synchronized ClientFanOut<T> start() {
        if (upstream != null) {
            throw new IllegalStateException("fan-out already started");
        }
        // One emitter (the source's onNext is serial), so tryEmitNext never meets FAIL_NON_SERIALIZED;
        // FAIL_ZERO_SUBSCRIBER (nobody connected) is fine for a live feed.
        upstream = source.subscribe(
                sink::tryEmitNext,
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
     * A client's stream: the items that arrive from now on, through a buffer of {@code bufferSize} items (plus
     * {@value #DELIVERY_PREFETCH} in flight to the delivery worker). Each
     * subscription is one client; it completes when the source completes (after its buffer is delivered).
     *
     * @param requestedName the name the client asked for (tag {@code client}); {@code null} or an invalid one
     *     gets {@code client-<n>}, a name in use gets a {@code -<n>} suffix
     * @param bufferSize items buffered for this client before its newest items are dropped, at least 1
     * @return the client's stream, cold: the client is registered when it subscribes
     * @throws IllegalArgumentException if {@code bufferSize < 1}
     */
    public Flux<T> connect(String requestedName, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
        }
        return Flux.defer(() -> {
            final String name = register(requestedName);
            final Counter sent = Counter.builder("feed.client.events.sent").tag("client", name)
                    .description("Events handed to this client's connection").register(registry);
            final Counter dropped = Counter.builder("feed.client.events.dropped").tag("client", name)
                    .description("Events dropped for this client because its buffer was full")
                    .register(registry);
            return sink.asFlux()
                    // Unbounded demand towards the sink, so the shared stream never waits for this client; at most
                    // bufferSize items wait for the client's demand, then its newest items are dropped and counted.
                    .onBackpressureBuffer(bufferSize, item -> dropped.increment(), BufferOverflowStrategy.DROP_LATEST)
                    // Delivery towards the client's connection on a worker, never on the ring's thread.
                    .publishOn(deliveryScheduler, DELIVERY_PREFETCH)
                    .doOnNext(item -> sent.increment())
                    .doFinally(signal -> {
                        registry.remove(sent);
                        registry.remove(dropped);
                        unregister(name);
                    });
        });
    }

    /**
     * A client's stream under a generated name.
     *
     * @param bufferSize items buffered for this client
     * @return the client's stream
     */
    public Flux<T> connect(int bufferSize) {
        return connect(null, bufferSize);
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
     * The clients connected now.
     *
     * @return their names, a snapshot
     */
    public Set<String> clients() {
        return Set.copyOf(clients);
    }

    /**
     * Waits until no client is connected (every stream has completed or been cancelled).
     *
     * @param timeout the longest wait
     * @return {@code true} if no client is connected
     * @throws InterruptedException if interrupted
     */
    public boolean awaitNoClients(Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!clients.isEmpty()) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Cancels the subscription to the source (clients are completed only when the source completes). */
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

    private String register(String requestedName) {
        String base = requestedName != null && CLIENT_NAME.matcher(requestedName).matches()
                ? requestedName : "client-" + nextClient.getAndIncrement();
        String name = base;
        for (int n = 2; !clients.add(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    private void unregister(String name) {
        synchronized (idle) {
            clients.remove(name);
            idle.notifyAll();
        }
    }
}
