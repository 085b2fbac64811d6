package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.samples.testing.Http;
import dev.ringbuf.samples.testing.Json;
import dev.ringbuf.samples.testing.PrometheusText;
import dev.ringbuf.samples.testing.SseFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;

/** The feed server over real HTTP: a real server on an ephemeral 127.0.0.1 port, real Reactor Netty clients. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedServerTest {

    private static FeedServer server;
    private static int port;

    @BeforeAll
    static void startServer() {
        final FeedOptions options = FeedOptions.defaults("127.0.0.1", 0)
                .withRate(5_000)
                .withClientBuffer(8192) // 1.6 s of events: a fast client on a loaded machine keeps up
                .withIntervals(Duration.ofMillis(300), Duration.ofMillis(200), Duration.ZERO);
        server = FeedServer.start(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        port = server.port();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void eventsAreServerSentEventsWithStrictlyIncreasingIdsAndWellFormedJson() {
        final AtomicReference<String> contentType = new AtomicReference<>();
        final List<SseFrame> events = Http.sse(port, "/events?client=reader", contentType)
                .filter(SseFrame::isEvent)
                .take(300)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(contentType.get()).startsWith("text/event-stream");
        assertThat(events).hasSize(300);
        long lastId = -1;
        final Map<Long, Long> lastSequence = new HashMap<>();
        for (SseFrame frame : events) {
            final long id = Long.parseLong(frame.id());
            assertThat(id).as("ids strictly increase").isGreaterThan(lastId);
            lastId = id;
            final Map<String, Object> json = Json.object(frame.data());
            assertThat(json).containsOnlyKeys("id", "producer", "seq", "ts", "type", "value");
            assertThat(json.get("id")).as("data.id is the SSE id").isEqualTo(id);
            assertThat(json.get("type")).isInstanceOf(String.class);
            final long producer = (Long) json.get("producer");
            final long sequence = (Long) json.get("seq");
            final Long before = lastSequence.put(producer, sequence);
            if (before != null) {
                assertThat(sequence).as("each producer's events arrive in order").isGreaterThan(before);
            }
        }
    }

    @Test
    void idleStreamsGetHeartbeatComments() {
        final List<String> comments = Http.sse(port, "/events?client=heartbeat", new AtomicReference<>())
                .flatMapIterable(SseFrame::comments)
                .filter("heartbeat"::equals)
                .take(2)
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(comments).containsExactly("heartbeat", "heartbeat");
    }

    @Test
    void aSlowClientDropsItsOwnEventsWhileAFastClientReceivesEverything() throws IOException {
        final ConcurrentLinkedQueue<SseFrame> fast = new ConcurrentLinkedQueue<>();
        final Disposable fastClient = Http.sse(port, "/events?client=fast-reader", new AtomicReference<>())
                .filter(SseFrame::isEvent)
                .subscribe(fast::add);
        try (Socket slow = new Socket()) {
            // A client that never reads: a tiny receive window, then the server's socket buffer and the client's
            // bounded buffer fill up, and only then does the fan-out drop, for this client alone.
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            final OutputStream out = slow.getOutputStream();
            out.write("GET /events?client=slow-socket HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            List<PrometheusText.Sample> samples = scrape();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (!(PrometheusText.value(samples, "feed_client_events_dropped_total", "client", "slow-socket") > 0)) {
                assertThat(System.nanoTime()).as("the slow client's drop counter rises within 40 s").isLessThan(deadline);
                samples = Http.client(port).get().uri("/metrics").responseContent().aggregate().asString()
                        .delaySubscription(Duration.ofMillis(200)).map(PrometheusText::parse).block(Duration.ofSeconds(15));
            }

            assertThat(PrometheusText.value(samples, "feed_client_events_dropped_total", "client", "fast-reader"))
                    .as("the fast client dropped nothing").isZero();
            assertThat(PrometheusText.value(samples, "feed_client_events_sent_total", "client", "fast-reader"))
                    .isPositive();
            assertThat(server.ring().droppedRecords(DropReason.FULL)).as("the ring itself never filled").isZero();
        } finally {
            fastClient.dispose();
        }

        // Everything, in order: with nothing dropped by the ring, each producer's sequence has no gap.
        final Map<Long, Long> lastSequence = new HashMap<>();
        int events = 0;
        for (SseFrame frame : fast) {
            final Map<String, Object> json = Json.object(frame.data());
            final Long before = lastSequence.put((Long) json.get("producer"), (Long) json.get("seq"));
            if (before != null) {
                assertThat((Long) json.get("seq")).as("no gap for producer %s", json.get("producer"))
                        .isEqualTo(before + 1);
            }
            events++;
        }
        assertThat(events).isGreaterThan(100);
    }

    @Test
    void metricsAreWellFormedPrometheusTextWithRingNettyAndJvmMeters() {
        Http.get(port, "/"); // so that the server meters have a request to show
        final Http.Response response = Http.get(port, "/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        final List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
        assertThat(PrometheusText.value(samples, "ringbuf_records_dropped_total", "ring", "events", "reason", "full"))
                .isZero();
        assertThat(PrometheusText.value(samples, "ringbuf_records_dropped_total", "reason", "closed")).isZero();
        assertThat(PrometheusText.value(samples, "ringbuf_records_consumed_total", "ring", "events")).isPositive();
        assertThat(samples).extracting(PrometheusText.Sample::name)
                .contains("ringbuf_capacity_bytes", "ringbuf_available_bytes", "feed_clients", "jvm_memory_used_bytes")
                .anyMatch(name -> name.startsWith("reactor_netty_http_server_"));
    }

    @Test
    void statsStreamCarriesSnapshotsOfTheMeters() {
        final List<SseFrame> frames = Http.sse(port, "/stats", new AtomicReference<>())
                .filter(frame -> frame.data() != null)
                .take(2)
                .collectList()
                .block(Duration.ofSeconds(20));

        final Map<String, Object> first = Json.object(frames.get(0).data());
        final Map<String, Object> second = Json.object(frames.get(1).data());
        assertThat(first).containsKeys("t", "consumed", "dropped", "available", "capacity", "clientsDropped", "clients");
        assertThat(first.get("capacity")).isEqualTo((long) server.ring().capacity());
        assertThat((Long) second.get("t")).isGreaterThanOrEqualTo((Long) first.get("t"));
        assertThat((Long) second.get("consumed")).isGreaterThanOrEqualTo((Long) first.get("consumed"));
    }

    @Test
    void dashboardIsOneSelfContainedHtmlPage() {
        final Http.Response response = Http.get(port, "/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.body()).contains("id=\"event-rate\"", "id=\"drop-rate\"", "new EventSource(\"stats\")")
                .doesNotContain("src=\"http", "href=\"http", "@import", "//cdn");
    }

    @Test
    void aPortInUseFailsWithAMessageThatSaysWhatToDo() {
        final FeedOptions samePort = new FeedOptions("127.0.0.1", port, 1 << 16, 1, 100, 1, 16,
                Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FeedServer.start(samePort, System.out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + " (in use? try another --port");
    }

    @Test
    void unknownPathsAreNotFound() {
        assertThat(Http.get(port, "/nope").status()).isEqualTo(404);
    }

    private static List<PrometheusText.Sample> scrape() {
        return PrometheusText.parse(Http.get(port, "/metrics").body());
    }
}
