package dev.ringbuf.samples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.samples.feed.FeedOptions;
import dev.ringbuf.samples.feed.FeedServer;
import dev.ringbuf.samples.testing.Http;
import dev.ringbuf.samples.testing.Json;
import dev.ringbuf.samples.testing.PrometheusText;
import dev.ringbuf.samples.testing.SseFrame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;

/** docs/grafana-dashboard.json imports cleanly and queries only metrics that a real scrape carries. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Paths.get("..", "docs", "grafana-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:ringbuf|feed)_[a-z_]+)\\b");

    @Test
    @SuppressWarnings("unchecked")
    void everyPanelQueriesMetricsThatTheFeedServerExposes() throws Exception {
        final Map<String, Object> dashboard = Json.object(Files.readString(DASHBOARD));
        final List<Map<String, Object>> panels = (List<Map<String, Object>>) dashboard.get("panels");
        final Set<Long> ids = new HashSet<>();
        final List<String> expressions = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            assertThat(ids.add((Long) panel.get("id"))).as("panel ids are unique").isTrue();
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            assertThat((Map<String, Object>) panel.get("datasource")).containsEntry("uid", "${DS_PROMETHEUS}");
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                expressions.add((String) target.get("expr"));
            }
        }
        assertThat(expressions).anyMatch(e -> e.contains("rate(ringbuf_records_dropped_total"))
                .anyMatch(e -> e.contains("ringbuf_available_bytes") && e.contains("ringbuf_capacity_bytes"));

        final Set<String> referenced = new HashSet<>();
        for (String expression : expressions) {
            final Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                referenced.add(m.group(1));
            }
        }
        final Set<String> scraped = new HashSet<>();
        final FeedServer server = FeedServer.start(FeedOptions.defaults("127.0.0.1", 0).withRate(1_000),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            // A connected client, so that the per-client meters exist.
            final Disposable client = Http.sse(server.port(), "/events?client=grafana", new AtomicReference<>())
                    .filter(SseFrame::isEvent).subscribe();
            try {
                // Meters appear as the feed runs (the drain's when it starts, a client's as it is sent to): scrape
                // until all are there, bounded; the assertion below names any that never appeared.
                final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                do {
                    scraped.clear();
                    final String scrape = Http.client(server.port()).get().uri("/metrics").responseContent()
                            .aggregate().asString().block(Duration.ofSeconds(10));
                    PrometheusText.parse(scrape).forEach(sample -> scraped.add(sample.name()));
                } while (!scraped.containsAll(referenced) && System.nanoTime() - deadline < 0);
            } finally {
                client.dispose();
            }
        } finally {
            server.close();
        }
        assertThat(scraped).containsAll(referenced);
    }
}
