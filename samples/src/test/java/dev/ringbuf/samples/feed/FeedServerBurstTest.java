package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.samples.event.EventCodec;
import dev.ringbuf.samples.testing.Http;
import dev.ringbuf.samples.testing.Json;
import dev.ringbuf.samples.testing.SseFrame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

/**
 * The feed server on its default options: a burst of 20,000 events written at once (far more than a client's
 * buffer of 4,096) reaches every fast SSE client, every event, in order. The burst waits in the ring, not in a
 * client's buffer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedServerBurstTest {

    private static final int BURST = 20_000;
    private static final int BURST_PRODUCER = 99; // the server's own producers are 0..3
    private static final int CLIENTS = 3;
    private static final int BACKGROUND_RATE = 2_000;
    private static final int WARM_UP = BACKGROUND_RATE; // a second of the background stream

    @Test
    void everyFastClientReceivesEveryEventOfABurstOnTheDefaults() throws InterruptedException {
        // The defaults (a 1 MiB ring, a client buffer of 4,096, the fan-out's defaults), but for the background
        // rate of the server's own producers: 20,000 events/s with three clients is more than a shared CI machine
        // serves, and then the ring is full before the burst starts; 2,000 events/s keeps the ring's room real.
        final FeedServer server = FeedServer.start(FeedOptions.defaults("127.0.0.1", 0).withRate(BACKGROUND_RATE),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            final CountDownLatch connected = new CountDownLatch(CLIENTS);
            final List<Mono<List<Long>>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                final java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
                clients.add(Http.sse(server.port(), "/events?client=fast-" + i, new AtomicReference<>())
                        .filter(SseFrame::isEvent)
                        .doOnNext(frame -> { // warmed up: the server's producers' events have flowed for a while
                            if (seen.incrementAndGet() == WARM_UP) {
                                connected.countDown();
                            }
                        })
                        .filter(frame -> frame.data().contains("\"type\":\"burst\"")) // cheap: no JSON parse
                        .map(frame -> (Long) Json.object(frame.data()).get("seq"))
                        .take(BURST)
                        .collectList()
                        .cache());
                clients.get(i).subscribe();
            }
            assertThat(connected.await(60, TimeUnit.SECONDS)).as("every client is streaming").isTrue();

            final byte[] type = EventCodec.typeBytes("burst");
            final long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
            for (int sequence = 0; sequence < BURST; sequence++) { // as fast as this thread writes
                if (!EventCodec.write(server.ring(), BURST_PRODUCER, sequence, now, type, sequence,
                        Wakeup.DEFAULT)) {
                    throw new AssertionError("the ring had no room for event " + sequence + " of the burst: "
                            + server.ring());
                }
            }

            for (Mono<List<Long>> client : clients) {
                final List<Long> sequences = client.timeout(java.time.Duration.ofSeconds(60), Mono.empty()).block();
                assertThat(sequences).as("a client is missing burst events; per-client drops: %s; %s",
                        drops(server), server.ring()).isNotNull();
                assertThat(sequences).hasSize(BURST);
                for (int i = 0; i < BURST; i++) {
                    assertThat(sequences.get(i)).as("every event, in order").isEqualTo(i);
                }
            }
            assertThat(server.ring().droppedRecords(DropReason.FULL)).as("the ring had room").isZero();
            assertThat(drops(server)).as("no client dropped anything").allMatch(sample -> sample.endsWith(" 0.0"));
        } finally {
            server.close();
        }
    }

    private static List<String> drops(FeedServer server) {
        return Http.get(server.port(), "/metrics").body().lines()
                .filter(line -> line.startsWith("feed_client_events_dropped_total"))
                .collect(java.util.stream.Collectors.toList());
    }
}
