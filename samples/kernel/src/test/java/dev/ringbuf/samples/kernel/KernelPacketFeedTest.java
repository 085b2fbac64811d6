package dev.ringbuf.samples.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.bpf.BpfException;
import dev.ringbuf.bpf.PacketEventProgram;
import dev.ringbuf.bpf.Bpf;
import dev.ringbuf.samples.feed.FeedOptions;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The sample as a user runs it: datagrams to its UDP port show up in the feed server's snapshot and metrics. */
class KernelPacketFeedTest {

    private static final Pattern PACKET = Pattern.compile("\"producer\":1000,\"seq\":(\\d+),\"ts\":\\d+,"
            + "\"type\":\"packet\",\"value\":(\\d+)");

    @Test
    void everyDatagramBecomesAPacketEventOnTheFeed() throws Exception {
        assumeBpf();
        final FeedOptions options = FeedOptions.defaults("127.0.0.1", 0).withIntervals(Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ZERO);
        try (KernelPacketFeed feed = KernelPacketFeed.start(options, new PrintStream(OutputStream.nullOutputStream()));
                DatagramSocket sender = new DatagramSocket()) {
            for (int i = 0; i < 20; i++) {
                final byte[] payload = new byte[100 + i];
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                        feed.udpPort()));
            }

            final HttpClient http = HttpClient.newHttpClient();
            final URI base = URI.create("http://127.0.0.1:" + feed.server().port());
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int packets = 0;
            String snapshot = "";
            while (packets < 20 && System.nanoTime() < deadline) {
                snapshot = http.send(HttpRequest.newBuilder(base.resolve("/snapshot")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                packets = 0;
                final Matcher m = PACKET.matcher(snapshot);
                while (m.find()) {
                    assertThat(Integer.parseInt(m.group(2))).as("UDP header + payload")
                            .isEqualTo(8 + 100 + Integer.parseInt(m.group(1)) - 1);
                    packets++;
                }
                LockSupport.parkNanos(50_000_000); // a bounded poll of the feed, 50 ms apart
            }
            assertThat(packets).as(snapshot).isEqualTo(20);

            final String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("ringbuf_records_dropped_total{reason=\"kernel\"");
            assertThat(feed.kernelDrops()).isZero();
        }
    }

    private static void assumeBpf() {
        try {
            Bpf.close(PacketEventProgram.createCounters());
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("skipped: " + e.getMessage());
        } catch (BpfException e) {
            Assumptions.assumeFalse(e.bpfUnavailable(), () -> "skipped: bpf() is refused here: " + e.getMessage());
            throw e;
        }
    }
}
