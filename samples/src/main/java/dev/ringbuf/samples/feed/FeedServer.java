package dev.ringbuf.samples.feed;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import dev.ringbuf.reactor.RingBufferMetrics;
import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.cli.CommandLine;
import dev.ringbuf.samples.event.EventCodec;
import dev.ringbuf.samples.event.SyntheticProducers;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The feed server: producers on several threads write events into one ring, and Reactor Netty serves them.
 *
 * <ul>
 *   <li>{@code GET /events}: the ring's events as Server-Sent Events ({@code id:} = ring position, {@code data:}
 *       JSON, a heartbeat comment every 15 s). Query {@code client=NAME} names the client in the metrics;
 *       {@code maxRate=N} makes the server deliver at most N events/s to it (a slow client on demand, for the
 *       dashboard). Every client has its own bounded buffer ({@link RingFanOut}).
 *   <li>{@code GET /metrics}: Prometheus text: ring meters ({@code ringbuf_*}), client meters ({@code feed_*}),
 *       Reactor Netty server meters ({@code reactor_netty_*}), JVM meters ({@code jvm_*}).
 *   <li>{@code GET /snapshot}: the latest events, from a {@link FlightRecorder} (an overwrite-mode ring), as JSON.
 *   <li>{@code GET /}: a self-contained dashboard page plotting the event rate and the drop rates, fed by
 *       {@code GET /stats} (SSE snapshots of the meters).
 * </ul>
 *
 * <p>Shutdown ({@link #close()}, also on SIGINT/SIGTERM): stop the producers, close the ring, let the ring's Flux
 * drain and complete, let every client's stream complete, then stop the HTTP server.
 *
 * <pre>{@code
 * try (FeedServer server = FeedServer.start(FeedOptions.defaults("127.0.0.1", 0), System.out)) {
 *     System.out.println("feed at http://127.0.0.1:" + server.port() + "/events");
 * }
 * }</pre>
 */
public final class FeedServer implements AutoCloseable {

    private static final Duration SHUTDOWN_STEP_TIMEOUT = Duration.ofSeconds(5);
    private static final String DASHBOARD_RESOURCE = "dashboard.html";

    private final FeedOptions options;
    private final PrintStream console;
    private final RingBuffer ring;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final SyntheticProducers producers;
    /** The fan-out's meter names (the dashboard and docs/metrics.md use them). */
    public static final String FEED_CLIENTS = "feed.clients";
    /** Events handed to a client, tag {@code client}. */
    public static final String FEED_SENT = "feed.client.events.sent";
    /** Events dropped for a client whose buffer was full, tag {@code client}. */
    public static final String FEED_DROPPED = "feed.client.events.dropped";

    private final RingFanOut<String> fanOut;
    private final MeterSnapshots snapshots;
    private final byte[] dashboard;
    private final DisposableServer http;
    private final Disposable reporter;
    private final OpenStreams streams = new OpenStreams();
    private final FlightRecorder recorder = new FlightRecorder(FlightRecorder.DEFAULT_CAPACITY);
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private FeedServer(FeedOptions options, PrintStream console, Duration headerTimeout) {
        this.options = options;
        this.console = console;
        this.dashboard = loadDashboard();
        this.ring = RingBuffer.builder().name("events").capacity(options.capacity()).build();

        // Meters: the ring's (through RingBufferMetrics: function counters and gauges, nothing on the hot path),
        // the JVM's, and Reactor Netty's, which reports to Micrometer's global registry: ours joins it.
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RingBufferMetrics(ring).bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);

        // One subscription to the ring; each event is decoded (copied out of the ring) and framed once, then
        // fanned out to every client with its own bounded buffer.
        final Flux<String> frames = RingBufferFlux.builder(ring)
                .metrics(registry)
                .decode(EventCodec::decode)
                .doOnNext(recorder::record)
                .map(SseFrames::event);
        this.fanOut = RingFanOut.builder(frames).deliveryScheduler(Schedulers.parallel()).metrics(registry)
                .maxBufferSize(options.clientBuffer()) // each client's buffer is a window into this one
                .meterNames(FEED_CLIENTS, FEED_SENT, FEED_DROPPED, "client").start();
        this.snapshots = new MeterSnapshots(registry, ring.name());

        try {
            this.http = HttpServer.create()
                    .host(options.host())
                    .port(options.port())
                    .metrics(true, FeedQueries::uriTag)
                    // 400 for a malformed query, 505 for an HTTP version it does not speak, a header timeout
                    .doOnChannelInit((observer, channel, remote) -> RequestGate.install(channel.pipeline(),
                            headerTimeout))
                    .route(routes -> routes
                            .get("/", this::dashboard)
                            .get("/events", this::events)
                            .get("/stats", this::stats)
                            .get("/metrics", this::metrics)
                            .get("/snapshot", recorder::serve))
                    .bindNow();
        } catch (RuntimeException e) {
            // Nothing is running yet but the ring's subscription and the meters: release them, say why.
            fanOut.dispose();
            ring.close();
            Metrics.removeRegistry(registry);
            gcMetrics.close();
            registry.close();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port()
                    + " (in use? try another --port, or --port 0 for any free one): " + e.getMessage(), e);
        }

        this.producers = new SyntheticProducers(ring, options.producers(), options.rate(), options.batch()).start();
        this.reporter = options.reportInterval().isZero() ? Disposables.NONE : startReporter();
    }

    /**
     * Starts a feed server: ring, meters, HTTP server, producers.
     *
     * @param options the settings
     * @param console where the console lines go
     * @return the running server
     */
    public static FeedServer start(FeedOptions options, PrintStream console) {
        return new FeedServer(options, console, RequestGate.DEFAULT_HEADER_TIMEOUT);
    }

    /** {@link #start(FeedOptions, PrintStream)} with another header timeout (tests). */
    static FeedServer start(FeedOptions options, PrintStream console, Duration headerTimeout) {
        return new FeedServer(options, console, headerTimeout);
    }

    /**
     * Runs the feed server from the command line until SIGINT/SIGTERM (or {@code --duration}).
     *
     * @param args the options; {@code --help} lists them
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        final FeedOptions options;
        try {
            options = FeedOptions.parse(args);
        } catch (CommandLine.HelpRequested help) {
            System.out.print(help.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n(--help lists the options)");
            System.exit(2);
            return;
        }
        final FeedServer server;
        try {
            server = start(options, System.out);
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        final Thread hook = new Thread(server::close, "feed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final String base = "http://" + options.host() + ":" + server.port();
        System.out.printf("ringbuf feed server on %s/  (dashboard)%n  %s/events  Server-Sent Events%n"
                + "  %s/metrics  Prometheus%n  Ctrl-C to stop%n", base, base, base);
        if (options.duration().isZero()) {
            server.awaitClosed(Duration.ofMillis(Long.MAX_VALUE));
        } else if (!server.awaitClosed(options.duration())) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
        }
    }

    /**
     * The port the server listens on (the actual one when {@code --port 0}).
     *
     * @return the port
     */
    public int port() {
        return http.port();
    }

    /**
     * The ring the producers write into.
     *
     * @return the ring
     */
    public RingBuffer ring() {
        return ring;
    }

    /**
     * The server's meter registry (what {@code GET /metrics} serves).
     *
     * @return the registry
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The clients connected now.
     *
     * @return their names
     */
    public Set<String> clients() {
        return fanOut.subscribers();
    }

    /**
     * Waits until {@link #close()} has finished.
     *
     * @param timeout the longest wait
     * @return {@code true} if closed
     * @throws InterruptedException if interrupted
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Shuts down in order: stop the producers, close the ring, let the ring's Flux drain and complete (which
     * completes every client's stream once its buffer is delivered), wait for the clients and for the last bytes
     * of their responses to be written, stop the HTTP server, release the meters. Each wait is bounded (5 s). Idempotent; a second caller waits for the first.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                awaitQuietly();
                return;
            }
            closing = true;
        }
        try {
            reporter.dispose();
            console.println("shutting down: stopping producers, closing the ring, draining, completing streams");
            producers.stop(SHUTDOWN_STEP_TIMEOUT);
            ring.close();
            fanOut.terminated().block(SHUTDOWN_STEP_TIMEOUT);
            if (!fanOut.awaitNoSubscribers(SHUTDOWN_STEP_TIMEOUT)) {
                console.println("clients still connected after " + SHUTDOWN_STEP_TIMEOUT.toSeconds() + " s (slow"
                        + " readers): closing their connections");
            } else if (!streams.awaitNone(SHUTDOWN_STEP_TIMEOUT)) { // the last chunks are written, then we close
                console.println("responses still being written after " + SHUTDOWN_STEP_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // a timeout of block(): carry on shutting down
            console.println("shutdown: " + e.getMessage());
        } finally {
            fanOut.dispose();
            http.disposeNow(SHUTDOWN_STEP_TIMEOUT);
            console.printf("stopped: %,d events written, %,d delivered by the ring, %,d dropped (full %,d, closed %,d)%n",
                    producers.written(), ring.consumedRecords(), ring.droppedRecords(),
                    ring.droppedRecords(DropReason.FULL), ring.droppedRecords(DropReason.CLOSED));
            Metrics.removeRegistry(registry);
            gcMetrics.close();
            registry.close();
            closed.countDown();
        }
    }

    private void awaitQuietly() {
        try {
            closed.await(4 * SHUTDOWN_STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------- routes

    private Publisher<Void> events(HttpServerRequest request, HttpServerResponse response) {
        final Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        final String requested = FeedQueries.first(query, "client");
        final long maxRate = FeedQueries.parseRate(FeedQueries.first(query, "maxRate"));
        Flux<String> events = fanOut.connect(requested, options.clientBuffer());
        if (maxRate > 0) {
            // A slow reader on demand: the server hands this client at most maxRate events/s, it lags past its
            // buffer without demand, and the fan-out drops its oldest events (and only its events).
            events = events.delayElements(Duration.ofNanos(TimeUnit.SECONDS.toNanos(1) / maxRate));
        }
        final Flux<String> heartbeats = Flux.interval(options.heartbeat(), options.heartbeat())
                .onBackpressureDrop()
                .map(tick -> SseFrames.HEARTBEAT)
                .takeUntilOther(fanOut.terminated());
        final Flux<String> body = Flux.concat(
                Mono.just(SseFrames.HELLO),
                Flux.merge(events, heartbeats));
        return response
                .header(HttpHeaderNames.CONTENT_TYPE, SseFrames.CONTENT_TYPE)
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no") // tells nginx-like proxies not to buffer the stream
                .sendString(body, StandardCharsets.UTF_8)
                .then()
                .transform(streams::track);
    }

    private Publisher<Void> stats(HttpServerRequest request, HttpServerResponse response) {
        final Flux<String> body = Flux.interval(Duration.ZERO, options.statsInterval())
                .onBackpressureDrop()
                .map(tick -> SseFrames.data(snapshots.json()))
                .takeUntilOther(fanOut.terminated());
        return response
                .header(HttpHeaderNames.CONTENT_TYPE, SseFrames.CONTENT_TYPE)
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .sendString(Flux.concat(Mono.just("retry: 2000\n\n"), body), StandardCharsets.UTF_8)
                .then()
                .transform(streams::track);
    }

    private Publisher<Void> metrics(HttpServerRequest request, HttpServerResponse response) {
        return response
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .sendString(Mono.fromCallable(registry::scrape), StandardCharsets.UTF_8);
    }

    private Publisher<Void> dashboard(HttpServerRequest request, HttpServerResponse response) {
        return response
                .header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .sendByteArray(Mono.just(dashboard));
    }

    private Disposable startReporter() {
        final long[] last = {ring.consumedRecords(), ring.droppedRecords(), System.nanoTime()};
        return Flux.interval(options.reportInterval(), options.reportInterval()).subscribe(tick -> {
            final long now = System.nanoTime();
            final long consumed = ring.consumedRecords();
            final long dropped = ring.droppedRecords();
            final double seconds = (now - last[2]) / 1e9;
            console.printf("events/s %,10.0f  ring drops/s %,10.0f  ring %3d%% full  clients %d%n",
                    (consumed - last[0]) / seconds, (dropped - last[1]) / seconds,
                    ring.availableData() * 100 / ring.capacity(), fanOut.subscribers().size());
            last[0] = consumed;
            last[1] = dropped;
            last[2] = now;
        });
    }

    private static byte[] loadDashboard() {
        try (InputStream in = FeedServer.class.getResourceAsStream(DASHBOARD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DASHBOARD_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A no-op {@link Disposable}. */
    private enum Disposables implements Disposable {
        NONE;

        @Override
        public void dispose() {
        }
    }
}
