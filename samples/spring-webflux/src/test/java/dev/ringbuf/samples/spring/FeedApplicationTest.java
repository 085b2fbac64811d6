package dev.ringbuf.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/** The Spring sample on a real server (127.0.0.1, random port), read with a real WebClient. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "ringbuf.feed.rate=2000", "ringbuf.feed.heartbeat=300ms"})
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedApplicationTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
            new ParameterizedTypeReference<>() { };

    @Value("${local.server.port}")
    private int port;

    private WebClient client() {
        return WebClient.create("http://127.0.0.1:" + port);
    }

    @Test
    void eventsAreServerSentEventsWithIncreasingIdsAndJsonData() {
        final List<ServerSentEvent<Map<String, Object>>> events = client().get().uri("/events?client=spring-reader")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(EVENT)
                .filter(event -> event.data() != null)
                .take(100)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(events).hasSize(100);
        long lastId = -1;
        for (ServerSentEvent<Map<String, Object>> event : events) {
            final long id = Long.parseLong(event.id());
            assertThat(id).isGreaterThan(lastId);
            lastId = id;
            assertThat(event.data()).containsKeys("position", "producer", "sequence", "timestampMicros", "type", "value");
            assertThat(((Number) event.data().get("position")).longValue()).isEqualTo(id);
        }
    }

    @Test
    void idleStreamsGetHeartbeatComments() {
        final ServerSentEvent<Map<String, Object>> heartbeat = client().get().uri("/events")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(EVENT)
                .filter(event -> event.comment() != null)
                .blockFirst(Duration.ofSeconds(20));

        assertThat(heartbeat.comment()).isEqualTo("heartbeat");
    }

    @Test
    void theRingFromThePropertiesHasItsHealthAndItsStateOnTheActuator() {
        final Map<String, Object> health = client().get().uri("/actuator/health/ringbuf/events").retrieve()
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }).block(Duration.ofSeconds(20));
        assertThat(health).containsEntry("status", "UP");
        @SuppressWarnings("unchecked")
        final Map<String, Object> details = (Map<String, Object>) health.get("details");
        assertThat(details).containsEntry("capacity", 1 << 20)
                .containsKeys("fill", "lag", "dropRate", "dropped", "blocked");

        final String rings = client().get().uri("/actuator/ringbuf").retrieve().bodyToMono(String.class)
                .block(Duration.ofSeconds(20));
        assertThat(rings).contains("\"events\"", "\"state\":\"open\"", "\"capacity\":1048576");
    }

    @Test
    void prometheusEndpointCarriesTheRingAndFeedMeters() {
        // Keep a client connected so that its per-client meters exist.
        final var reader = client().get().uri("/events?client=metrics-reader").accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(EVENT).subscribe();
        try {
            final String scrape = client().get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class)
                    .repeat()
                    .filter(text -> text.contains("feed_client_events_sent_total{"))
                    .blockFirst(Duration.ofSeconds(20));

            assertThat(scrape).contains("ringbuf_records_dropped_total{", "reason=\"full\"", "ring=\"events\"",
                    "ringbuf_records_consumed_total{", "ringbuf_available_bytes{", "feed_clients",
                    "client=\"metrics-reader\"", "jvm_memory_used_bytes");
        } finally {
            reader.dispose();
        }
    }
}
