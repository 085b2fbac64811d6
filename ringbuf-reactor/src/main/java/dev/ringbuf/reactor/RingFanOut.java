package dev.ringbuf.reactor;

import dev.ringbuf.core.Timeouts;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One ring, many subscribers: the ring's single-subscriber Flux is read once into a window that every subscriber
 * reads at its own position (as Disruptor's and Aeron's readers do), so that a burst waits in the ring rather than
 * in a subscriber's buffer, and a subscriber without demand loses (and counts) only its own items and never slows
 * the others. What every SSE or WebSocket feed needs.
 *
 * <pre>
 *   ring Flux ──(one subscription, demand = what the slowest tethered subscriber has room for)──► window
 *        ├─► subscriber A: its position in the window, its buffer bound, its delivery worker ─► A
 *        └─► subscriber B: its position in the window, its buffer bound, its delivery worker ─► B
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
 * <p>Guarantees per subscriber, on the defaults: the order of the source; no duplicates; <b>a subscriber with
 * demand never loses an item</b>: the fan-out asks the ring only for what every such subscriber has room for in its
 * buffer, so a burst waits in the ring (which drops newest, counted by the ring, only once it is full). A subscriber
 * that sits at its buffer's bound without demand for longer than {@link RingFanOutBuilder#untetherAfter(Duration)}
 * is untethered: it holds nobody, keeps its newest {@code bufferSize} items, and counts the items it missed as its
 * own drops ({@link #dropped(String)}) -- or is cut off with an overflow error under {@link LagPolicy#FAIL}. It is
 * tethered again as soon as it requests. Items must be immutable: decode (or {@code copy()}) records before the
 * fan-out. Items that arrive while nobody is connected are not kept (a live feed, not a log).
 *
 * @param <T> the item type, immutable
 */
public final class RingFanOut<T> implements Disposable {

    /** What happens to a subscriber that lags past its buffer without demand, once its grace is over. */
    public enum LagPolicy {
        /** It skips ahead: keeps its newest {@code bufferSize} items and counts the others as its drops. */
        DROP_OLDEST,
        /** Its stream fails with Reactor's overflow exception (the missed items are counted as drops too). */
        FAIL
    }

    /** What a subscriber may call itself: it becomes a tag value, so keep it short and plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Flux<T> source;
    private final Scheduler deliveryScheduler;
    private final FanOutMeters meters;
    private final FanOutWindow<T> window;
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final Map<String, FanOutReader<T>> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong nextName = new AtomicLong(1);
    private final Object idle = new Object();
    private volatile Disposable upstream;

    RingFanOut(Flux<T> source, Scheduler deliveryScheduler, FanOutMeters meters, FanOutWindow<T> window) {
        this.source = source;
        this.deliveryScheduler = deliveryScheduler;
        this.meters = meters;
        this.window = window;
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
        // terminated() fires after the window saw the terminal signal, never before: a dispose() that follows
        // terminated() (the starter's shutdown does exactly that) must not cancel a completion still in flight.
        upstream = source.subscribeWith(new Terminating<>(window, terminated::tryEmitEmpty));
        return this;
    }

    /**
     * A subscriber's stream: the items that arrive from now on. While the subscriber has demand it holds the
     * fan-out at most {@code bufferSize} items ahead of it (a burst waits in the ring); without demand it keeps its
     * newest {@code bufferSize} items. Each subscription is one subscriber, delivered on its own worker of the
     * delivery scheduler; it completes when the source completes, after its items are delivered.
     *
     * @param requestedName the name asked for (a meter tag): {@code null} or one outside {@code [A-Za-z0-9._-]{1,64}}
     *     gets {@code subscriber-<n>}, a name in use gets a {@code -<n>} suffix
     * @param bufferSize how far this subscriber may lag behind the others, in items: at least 1, at most the
     *     builder's {@link RingFanOutBuilder#maxBufferSize(int) maxBufferSize}
     * @return the subscriber's stream, cold: the subscriber is registered when it subscribes
     * @throws IllegalArgumentException if {@code bufferSize} is out of that range
     */
    public Flux<T> connect(@Nullable String requestedName, int bufferSize) {
        if (bufferSize < 1 || bufferSize > window.capacity()) {
            throw new IllegalArgumentException("bufferSize must be between 1 and the fan-out's maxBufferSize "
                    + window.capacity() + ", was " + bufferSize);
        }
        return Connection.create(this, requestedName, bufferSize);
    }

    /**
     * A subscriber's stream under a generated name.
     *
     * @param bufferSize how far this subscriber may lag behind the others, in items
     * @return the subscriber's stream
     */
    public Flux<T> connect(int bufferSize) {
        return connect(null, bufferSize);
    }

    /**
     * Items a connected subscriber missed so far because it lagged past its buffer without demand.
     *
     * @param name the subscriber's name, as {@link #subscribers()} lists it
     * @return the count, or 0 if no such subscriber is connected
     */
    public long dropped(String name) {
        final FanOutReader<T> reader = subscribers.get(name);
        return reader == null ? 0 : reader.dropped();
    }

    /**
     * Completes when the source has terminated (the ring was closed and drained, or it failed) and the fan-out has
     * taken that signal in, so a {@link #dispose()} from here on cancels nothing a subscriber still has to receive.
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
        final long deadline = Timeouts.deadline(timeout);
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

    @Override
    public String toString() {
        return "RingFanOut[" + window + "]";
    }

    private void subscribe(@Nullable String requestedName, int bufferSize, CoreSubscriber<? super T> actual) {
        final FanOutReader<T> reader;
        synchronized (this) {
            final String base = requestedName != null && NAME.matcher(requestedName).matches()
                    ? requestedName : "subscriber-" + nextName.getAndIncrement();
            String name = base;
            for (int n = 2; subscribers.containsKey(name); n++) {
                name = base + "-" + n;
            }
            reader = new FanOutReader<>(name, bufferSize, actual, window, deliveryScheduler.createWorker(),
                    this::unregister);
            subscribers.put(name, reader);
        }
        meters.subscriber(reader);
        window.add(reader);
        actual.onSubscribe(reader);
        reader.start();
    }

    private void unregister(FanOutReader<T> reader) {
        meters.remove(reader.name);
        synchronized (idle) {
            subscribers.remove(reader.name);
            idle.notifyAll();
        }
    }

    /** The window as a Disposable subscriber of the source: dispose cancels the source. */
    private static final class Terminating<T> extends reactor.core.publisher.BaseSubscriber<T> {
        private final FanOutWindow<T> window;
        private final Runnable onTerminated;

        Terminating(FanOutWindow<T> window, Runnable onTerminated) {
            this.window = window;
            this.onTerminated = onTerminated;
        }

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            window.onSubscribe(subscription);
        }

        @Override
        protected void hookOnNext(T item) {
            window.onNext(item);
        }

        @Override
        protected void hookOnComplete() {
            window.onComplete();
            onTerminated.run();
        }

        @Override
        protected void hookOnError(Throwable error) {
            window.onError(error);
            onTerminated.run();
        }
    }

    /** One subscriber's stream: a cold Flux that, on subscribe, registers a reader over the window. */
    private static final class Connection<T> extends Flux<T> implements Scannable {
        private final RingFanOut<T> fanOut;
        private final String requestedName;
        private final int bufferSize;

        private Connection(RingFanOut<T> fanOut, @Nullable String requestedName, int bufferSize) {
            this.fanOut = fanOut;
            this.requestedName = requestedName;
            this.bufferSize = bufferSize;
        }

        static <T> Flux<T> create(RingFanOut<T> fanOut, @Nullable String requestedName, int bufferSize) {
            return onAssembly(new Connection<>(fanOut, requestedName, bufferSize)); // checkpoints, debug mode
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            Objects.requireNonNull(actual, "subscriber must not be null");
            fanOut.subscribe(requestedName, bufferSize, actual);
        }

        @Override
        @Nullable
        @SuppressWarnings("rawtypes") // Scannable's own signature
        public Object scanUnsafe(Attr key) {
            if (key == Attr.NAME) {
                return requestedName;
            }
            if (key == Attr.CAPACITY) {
                return bufferSize;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.ASYNC;
            }
            return null;
        }

        @Override
        public String stepName() {
            return "ringFanOut(" + requestedName + ")";
        }
    }
}
