package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.samples.testing.Http;
import dev.ringbuf.samples.testing.SseFrame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shutdown completes the open streams: producers stop, the ring closes and drains, every stream completes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedServerShutdownTest {

    @Test
    void closeStopsProducersDrainsTheRingAndCompletesOpenStreams() throws Exception {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final FeedServer server = FeedServer.start(FeedOptions.defaults("127.0.0.1", 0).withRate(2_000),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        final int port = server.port();

        final List<CompletableFuture<List<SseFrame>>> streams = new CopyOnWriteArrayList<>();
        final CountDownLatch receiving = new CountDownLatch(2);
        for (String client : List.of("one", "two")) {
            final CompletableFuture<List<SseFrame>> done = new CompletableFuture<>();
            final List<SseFrame> frames = new CopyOnWriteArrayList<>();
            Http.sse(port, "/events?client=" + client, new AtomicReference<>())
                    .filter(SseFrame::isEvent)
                    .subscribe(frame -> {
                        if (frames.isEmpty()) {
                            receiving.countDown();
                        }
                        frames.add(frame);
                    }, done::completeExceptionally, () -> done.complete(frames));
            streams.add(done);
        }
        assertThat(receiving.await(20, TimeUnit.SECONDS)).as("both clients receive events").isTrue();

        server.close();

        for (CompletableFuture<List<SseFrame>> stream : streams) {
            final List<SseFrame> frames = stream.get(20, TimeUnit.SECONDS); // completes normally, not in error
            assertThat(frames).isNotEmpty();
        }
        assertThat(server.ring().isClosedAndDrained()).isTrue();
        assertThat(server.clients()).isEmpty();
        assertThat(server.awaitClosed(Duration.ZERO)).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("shutting down", "stopped:");
    }
}
