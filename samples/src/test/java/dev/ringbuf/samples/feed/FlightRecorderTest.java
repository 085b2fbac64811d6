package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.testing.Http;
import dev.ringbuf.samples.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The flight recorder: the latest events in an overwrite ring, served as JSON by {@code GET /snapshot}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlightRecorderTest {

    @SuppressWarnings("unchecked")
    private static List<Object> events(Map<String, Object> snapshot) {
        return (List<Object>) snapshot.get("events");
    }

    @Test
    void keepsTheLatestEventsInOrderAndCountsTheOverwrittenOnes() {
        FlightRecorder recorder = new FlightRecorder(4096);
        for (int seq = 0; seq < 1000; seq++) {
            recorder.record(new Event(seq * 64L, seq % 2, seq, 1_000L + seq, "page.view", seq));
        }
        Map<String, Object> snapshot = Json.object(recorder.snapshot());
        List<Object> events = events(snapshot);
        assertThat(events).isNotEmpty().hasSizeLessThan(100); // 4 KiB of JSON holds a few dozen
        long first = (Long) ((Map<?, ?>) events.get(0)).get("seq");
        for (int i = 0; i < events.size(); i++) {
            assertThat(((Map<?, ?>) events.get(i)).get("seq")).as("the latest, in order").isEqualTo(first + i);
        }
        assertThat(first + events.size()).as("ends with the last event").isEqualTo(1000);
        assertThat(snapshot.get("overwritten")).isEqualTo(first);
        assertThat(snapshot.get("capacity")).isEqualTo(4096L);
        assertThat(events(Json.object(recorder.snapshot()))).as("a snapshot takes what it returns").isEmpty();
    }

    @Test
    void theFeedServerServesItsSnapshotAsJson() {
        FeedOptions options = FeedOptions.defaults("127.0.0.1", 0).withRate(5_000);
        try (FeedServer server = FeedServer.start(options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<Object> events = List.of();
            Http.Response response = null;
            while (events.isEmpty() && System.nanoTime() < deadline) {
                response = Http.get(server.port(), "/snapshot");
                events = events(Json.object(response.body()));
            }
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(events).as("events recorded within 30 s").isNotEmpty();
            Map<Long, Long> lastSequence = new HashMap<>();
            long lastId = -1;
            for (Object item : events) {
                @SuppressWarnings("unchecked")
                Map<String, Object> event = (Map<String, Object>) item;
                assertThat(event.keySet()).containsExactlyInAnyOrder("id", "producer", "seq", "ts", "type", "value");
                assertThat((Long) event.get("id")).as("feed order").isGreaterThan(lastId);
                lastId = (Long) event.get("id");
                Long before = lastSequence.put((Long) event.get("producer"), (Long) event.get("seq"));
                if (before != null) {
                    assertThat((Long) event.get("seq")).isGreaterThan(before);
                }
            }
        }
    }
}
