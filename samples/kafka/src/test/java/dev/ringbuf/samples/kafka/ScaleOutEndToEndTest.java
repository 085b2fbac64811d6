package dev.ringbuf.samples.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.kafka.broker.Await;
import dev.ringbuf.kafka.broker.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole sample, for real: an in-process Kafka broker, two feed-server JVMs relaying their rings into one topic,
 * an aggregator JVM serving the merged stream as SSE; the test reads the stream like a browser would.
 */
class ScaleOutEndToEndTest {

    private static TestBroker broker;

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern EVENT = Pattern.compile(
            "^data: \\{\"feed\":\"([^\"]+)\",\"id\":(\\d+),\"producer\":(\\d+),\"seq\":(\\d+),");

    /** One broker for the class, started outside the test's own time limit (TestBroker bounds its start). */
    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoFeedsReachOneAggregatorThroughKafkaInOrderPerFeed() throws Exception {
        broker.createTopic("events", 2);
        final List<ChildJvm> children = new ArrayList<>();
        try {
            for (String feed : List.of("feed-a", "feed-b")) {
                children.add(ChildJvm.start(feed, FeedRelay.class, "--bootstrap", broker.bootstrapServers(),
                        "--topic", "events", "--feed", feed, "--producers", "2", "--rate", "400",
                        "--capacity", "65536"));
            }
            final ChildJvm aggregator = ChildJvm.start("aggregator", Aggregator.class, "--bootstrap",
                    broker.bootstrapServers(), "--topic", "events", "--group", "e2e", "--host", "127.0.0.1",
                    "--port", "0", "--capacity", "262144", "--session-timeout-ms", "6000");
            children.add(aggregator);
            for (ChildJvm feed : children.subList(0, 2)) {
                feed.awaitLine("READY feed", STARTUP);
            }
            final String base = aggregator.awaitLine("READY aggregator ", STARTUP)
                    .substring("READY aggregator ".length());
            assertThat(base).startsWith("http://127.0.0.1:");

            final Map<String, List<long[]>> byFeed = readEvents(URI.create(base + "events"), 150,
                    Duration.ofSeconds(20));
            assertThat(byFeed).containsOnlyKeys("feed-a", "feed-b");
            byFeed.forEach((feed, events) -> {
                // order per ring: each producer's sequence numbers only grow, and the merged ids too
                final Map<Long, Long> lastSeq = new HashMap<>();
                long lastId = -1;
                for (long[] event : events) {
                    final Long previous = lastSeq.put(event[1], event[2]);
                    assertThat(previous == null || event[2] > previous)
                            .as("%s producer %d: seq %d after %d", feed, event[1], event[2], previous).isTrue();
                    assertThat(event[0]).isGreaterThan(lastId);
                    lastId = event[0];
                }
            });

            // every event in the aggregator's ring was acknowledged, and the acknowledged offsets committed
            Await.until(Duration.ofSeconds(10), () -> committedOffsets("e2e") > 0,
                    () -> "offsets committed by group e2e");

            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("ringbuf_records_consumed_total{ring=\"events\"");

            // Faults: kill -9 one feed server and the aggregator. The other feed keeps writing into Kafka; a
            // new aggregator in the same group takes the partitions over and serves it again.
            children.get(0).kill();
            aggregator.kill();
            final ChildJvm second = ChildJvm.start("aggregator-2", Aggregator.class, "--bootstrap",
                    broker.bootstrapServers(), "--topic", "events", "--group", "e2e", "--host", "127.0.0.1",
                    "--port", "0", "--capacity", "262144", "--session-timeout-ms", "6000");
            children.add(second);
            final String base2 = second.awaitLine("READY aggregator ", STARTUP)
                    .substring("READY aggregator ".length());
            final List<long[]> feedB = readEvents(URI.create(base2 + "events"), "feed-b", 100,
                    Duration.ofSeconds(25));
            assertThat(feedB).hasSizeGreaterThanOrEqualTo(100);
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    private static long committedOffsets(String group) {
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Reads the SSE stream until {@code feed} has {@code count} events: {id, producer, seq} each. */
    private static List<long[]> readEvents(URI events, String feed, int count, Duration timeout) throws Exception {
        return readUntil(events, timeout, byFeed -> byFeed.getOrDefault(feed, List.of()).size() >= count)
                .get(feed);
    }

    /**
     * Reads the SSE stream until each of the two feeds has {@code perFeed} events: per feed, a list of {id,
     * producer, seq}.
     */
    private static Map<String, List<long[]>> readEvents(URI events, int perFeed, Duration timeout)
            throws Exception {
        return readUntil(events, timeout, byFeed -> byFeed.size() == 2
                && byFeed.values().stream().allMatch(list -> list.size() >= perFeed));
    }

    private static Map<String, List<long[]>> readUntil(URI events, Duration timeout,
            java.util.function.Predicate<Map<String, List<long[]>>> done) throws Exception {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        final Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException closed) {
                // the test closed the stream: done
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        final Map<String, List<long[]>> byFeed = new HashMap<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!done.test(byFeed)) {
                final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("not enough events within " + timeout + ": "
                            + byFeed.keySet() + " " + byFeed.values().stream().map(List::size).toList());
                }
                final Matcher m = EVENT.matcher(line);
                if (m.find()) {
                    byFeed.computeIfAbsent(m.group(1), f -> new ArrayList<>()).add(new long[] {
                        Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))});
                }
            }
        } finally {
            response.body().close();
        }
        return byFeed;
    }
}
