package dev.ringbuf.samples.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/** Reactor Netty {@link HttpClient} helpers for the tests: plain GETs and SSE streams, always on 127.0.0.1. */
public final class Http {

    /**
     * A response.
     *
     * @param status the status code
     * @param contentType the Content-Type header, or null
     * @param body the body as text
     */
    public record Response(int status, String contentType, String body) {
    }

    private Http() {
    }

    /**
     * A client for a local port.
     *
     * @param port the port on 127.0.0.1
     * @return the client
     */
    public static HttpClient client(int port) {
        return HttpClient.create().host("127.0.0.1").port(port).responseTimeout(Duration.ofSeconds(10));
    }

    /**
     * GETs a path, waiting at most 15 s.
     *
     * @param port the port
     * @param path the path and query
     * @return the response
     */
    public static Response get(int port, String path) {
        return client(port).get().uri(path)
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new Response(response.status().code(),
                                response.responseHeaders().get("Content-Type"), text)))
                .block(Duration.ofSeconds(15));
    }

    /**
     * An SSE stream, parsed into frames; the Content-Type of the response goes into {@code contentType}.
     *
     * @param port the port
     * @param path the path and query
     * @param contentType receives the response's Content-Type
     * @return the frames, cold: each subscription is one request
     */
    public static Flux<SseFrame> sse(int port, String path, AtomicReference<String> contentType) {
        return Flux.defer(() -> {
            final SseFrame.Parser parser = new SseFrame.Parser();
            return HttpClient.create().host("127.0.0.1").port(port).get().uri(path)
                    .response((response, body) -> {
                        contentType.set(response.responseHeaders().get("Content-Type"));
                        return body.asString(StandardCharsets.UTF_8);
                    })
                    .concatMapIterable(parser::feed);
        });
    }
}
