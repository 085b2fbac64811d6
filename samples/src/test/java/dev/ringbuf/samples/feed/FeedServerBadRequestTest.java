package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad requests to the feed server over raw sockets on 127.0.0.1: a malformed query is a 400, an HTTP version the
 * server does not speak is a 505, a request head that never completes is cut off after the header timeout; and the
 * server goes on serving good requests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedServerBadRequestTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);

    private static FeedServer server;
    private static int port;

    @BeforeAll
    static void startServer() {
        final FeedOptions options = FeedOptions.defaults("127.0.0.1", 0).withRate(100)
                .withIntervals(Duration.ofMillis(300), Duration.ofMillis(200), Duration.ZERO);
        server = FeedServer.start(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                HEADER_TIMEOUT);
        port = server.port();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Socket connect() throws IOException {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends {@code request} and reads the whole answer until the server closes the connection. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1); // EOF: closed
        }
    }

    @Test
    void aMalformedQueryIsABadRequestAndTheConnectionCloses() throws IOException {
        final String answer = exchange("GET /events?client=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("connection: close")
                .contains("malformed request URI");
    }

    @Test
    void anHttpVersionTheServerDoesNotSpeakIsRejectedAndTheConnectionCloses() throws IOException {
        final String answer = exchange("GET /events HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n")
                .contains("HTTP version HTTP/9.9 is not supported");
    }

    @Test
    void requestHeadsThatTrickleInAreCutOffAfterTheHeaderTimeout() throws IOException {
        final List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                final Socket socket = connect();
                socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.setSoTimeout(100); // the trickle's pace: one header byte per read timeout
                slow.add(socket);
            }
            final long started = System.nanoTime();
            final long bound = started + TimeUnit.SECONDS.toNanos(10);
            int open = slow.size();
            final boolean[] closed = new boolean[slow.size()];
            while (open > 0) {
                assertThat(System.nanoTime() - bound).as("every slow connection closed within 10 s").isNegative();
                for (int i = 0; i < slow.size(); i++) {
                    if (!closed[i] && isClosedAfterTrickle(slow.get(i))) {
                        closed[i] = true;
                        open--;
                    }
                }
            }
            assertThat(System.nanoTime() - started).as("not before the header timeout")
                    .isGreaterThanOrEqualTo(HEADER_TIMEOUT.toNanos() / 2);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        // and the server still answers a complete request at once
        final String answer = exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 OK");
    }

    /** Sends one more header byte and waits one read timeout: whether the server has closed the connection. */
    private static boolean isClosedAfterTrickle(Socket socket) {
        try {
            final OutputStream out = socket.getOutputStream();
            out.write('X');
            out.flush();
            final InputStream in = socket.getInputStream();
            return in.read() == -1; // no answer comes to a request head that never ends: EOF means closed
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true; // written after the server closed: reset
        }
    }
}
