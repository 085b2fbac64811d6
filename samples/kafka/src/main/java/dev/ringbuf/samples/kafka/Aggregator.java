package dev.ringbuf.samples.kafka;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.ReceivedRecord;
import dev.ringbuf.kafka.RingKafkaReceiver;
import dev.ringbuf.reactor.RingBufferFlux;
import dev.ringbuf.reactor.RingBufferMetrics;
import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.cli.CommandLine;
import dev.ringbuf.samples.cli.CommandLine.Option;
import dev.ringbuf.samples.feed.FeedServer;
import dev.ringbuf.samples.feed.MeterSnapshots;
import dev.ringbuf.samples.feed.SseFrames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 * The aggregator of the scale-out sample: reads the topic every feed server relays into (a Kafka consumer group,
 * {@link RingKafkaReceiver}), writes each event into its own ring (named {@code events}, so the feed server's
 * dashboard works unchanged), and serves the merged stream as Server-Sent Events with the dashboard.
 *
 * <pre>
 *  Kafka topic ──RingKafkaReceiver──► ring "events" ──RingBufferFlux──► RingFanOut ──► GET /events (SSE)
 *   (acknowledge once the event is in the ring)                                      GET /, /stats, /metrics
 * </pre>
 *
 * <p>A received record is acknowledged once it is in the ring; when the ring is full the receiver waits and
 * retries (each failed attempt is counted as a {@code full} drop), so Kafka's partitions are paused rather than
 * records lost. Prints {@code READY aggregator http://host:port/} once it serves.
 */
public final class Aggregator implements AutoCloseable {

    private static final String DASHBOARD = "/dev/ringbuf/samples/feed/dashboard.html";
    private static final Duration RETRY_FULL_RING = Duration.ofMillis(5);

    private final RingBuffer ring;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Disposable intake;
    private final RingFanOut<String> fanOut;
    private final MeterSnapshots snapshots;
    private final DisposableServer http;
    private final byte[] dashboard = loadDashboard();
    private final CountDownLatch closed = new CountDownLatch(1);

    private Aggregator(CommandLine args) {
        this.ring = RingBuffer.builder().name("events").capacity(args.intValue("capacity", 4096, 1 << 30)).build();
        new RingBufferMetrics(ring).bindTo(registry);
        this.fanOut = RingFanOut.builder(RingBufferFlux.builder(ring).metrics(registry).records()
                        .map(MergedEvents::frame))
                .deliveryScheduler(Schedulers.parallel()).metrics(registry)
                .meterNames(FeedServer.FEED_CLIENTS, FeedServer.FEED_SENT, FeedServer.FEED_DROPPED, "client").start();
        this.snapshots = new MeterSnapshots(registry, ring.name());
        final Flux<ReceivedRecord<byte[], byte[]>> received = RingKafkaReceiver.receive(Map.of(
                "bootstrap.servers", args.value("bootstrap"),
                "group.id", args.value("group"),
                "auto.offset.reset", "earliest",
                "session.timeout.ms", args.intValue("session-timeout-ms", 6000, 3_600_000)),
                List.of(args.value("topic")));
        this.intake = received.concatMap(this::intoRing, 64).subscribe();
        this.http = HttpServer.create().host(args.value("host")).port(args.intValue("port", 0, 65535))
                .route(routes -> routes
                        .get("/", this::dashboard)
                        .get("/events", this::events)
                        .get("/stats", this::stats)
                        .get("/metrics", this::metrics))
                .bindNow();
    }

    /** Writes one event into the ring, waiting for space, then acknowledges it to Kafka. */
    private Mono<Boolean> intoRing(ReceivedRecord<byte[], byte[]> record) {
        final byte[] feed = record.key() == null ? new byte[0] : record.key();
        return Mono.fromSupplier(() -> MergedEvents.write(ring, feed, record.value()))
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(attempts -> attempts.delayElements(RETRY_FULL_RING))
                .doOnNext(written -> record.acknowledge());
    }

    /**
     * Runs the aggregator until SIGTERM/SIGINT.
     *
     * @param argv the options; {@code --help} lists them
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] argv) throws InterruptedException {
        final CommandLine args;
        try {
            args = CommandLine.parse("Aggregator", "Serves the merged Kafka stream of every feed as SSE.", List.of(
                    new Option("bootstrap", "HOST:PORT", "127.0.0.1:9092", "Kafka's bootstrap servers"),
                    new Option("topic", "NAME", "events", "the topic the feeds write to"),
                    new Option("group", "NAME", "aggregator", "the Kafka consumer group"),
                    new Option("host", "ADDRESS", "127.0.0.1", "the address to listen on"),
                    new Option("port", "PORT", "8080", "the port to listen on, 0 for any free one"),
                    new Option("capacity", "BYTES", "1048576", "the merged ring's capacity, a power of two"),
                    new Option("session-timeout-ms", "MS", "45000",
                            "how long the group waits for a silent member before giving its partitions away")),
                    argv);
        } catch (CommandLine.HelpRequested help) {
            System.out.print(help.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        final Aggregator aggregator = new Aggregator(args);
        Runtime.getRuntime().addShutdownHook(new Thread(aggregator::close, "aggregator-shutdown"));
        System.out.println("READY aggregator http://" + args.value("host") + ":" + aggregator.http.port() + "/");
        System.out.flush();
        aggregator.closed.await();
    }

    /** Leaves the consumer group (committing what is in the ring), closes the ring and the HTTP server. */
    @Override
    public void close() {
        try {
            intake.dispose();
            ring.close();
            fanOut.terminated().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            System.out.println("shutdown: " + e.getMessage());
        } finally {
            fanOut.dispose();
            http.disposeNow(Duration.ofSeconds(5));
            registry.close();
            closed.countDown();
        }
    }

    private Publisher<Void> events(HttpServerRequest request, HttpServerResponse response) {
        final Flux<String> body = Flux.concat(Mono.just(SseFrames.HELLO), fanOut.connect(1024));
        return sse(response).sendString(body, StandardCharsets.UTF_8).then();
    }

    private Publisher<Void> stats(HttpServerRequest request, HttpServerResponse response) {
        final Flux<String> body = Flux.interval(Duration.ZERO, Duration.ofSeconds(1)).onBackpressureDrop()
                .map(tick -> SseFrames.data(snapshots.json())).takeUntilOther(fanOut.terminated());
        return sse(response).sendString(Flux.concat(Mono.just("retry: 2000\n\n"), body), StandardCharsets.UTF_8)
                .then();
    }

    private Publisher<Void> metrics(HttpServerRequest request, HttpServerResponse response) {
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .sendString(Mono.fromCallable(registry::scrape), StandardCharsets.UTF_8);
    }

    private Publisher<Void> dashboard(HttpServerRequest request, HttpServerResponse response) {
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .sendByteArray(Mono.just(dashboard));
    }

    private static HttpServerResponse sse(HttpServerResponse response) {
        return response.header(HttpHeaderNames.CONTENT_TYPE, SseFrames.CONTENT_TYPE)
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    }

    private static byte[] loadDashboard() {
        try (InputStream in = Aggregator.class.getResourceAsStream(DASHBOARD)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DASHBOARD + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
