package dev.ringbuf.samples.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Chrome DevTools Protocol session over the JDK's WebSocket client: send a command, get its result;
 * wait for an event. Enough to drive headless Chromium in a test without any browser-automation library.
 */
public final class DevTools implements AutoCloseable {

    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, Object>>> events = new ConcurrentHashMap<>();

    private DevTools(WebSocket socket) {
        this.socket = socket;
    }

    /**
     * Connects to the first page target of a browser whose DevTools HTTP endpoint is on {@code port}.
     *
     * @param port the DevTools port on 127.0.0.1
     * @param timeout the longest wait for the connection
     * @return the session
     * @throws Exception if there is no page target or the connection fails
     */
    @SuppressWarnings("unchecked")
    public static DevTools connectToPage(int port, Duration timeout) throws Exception {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        final String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString()).body();
        final String url = ((List<Object>) Json.parse(list)).stream()
                .map(target -> (Map<String, Object>) target)
                .filter(target -> "page".equals(target.get("type")))
                .map(target -> (String) target.get("webSocketDebuggerUrl"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no page target in " + list));
        final Listener listener = new Listener();
        final WebSocket socket = http.newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(URI.create(url), listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        final DevTools session = new DevTools(socket);
        listener.session = session;
        return session;
    }

    /**
     * Sends a command and waits for its result.
     *
     * @param method for example {@code Runtime.evaluate}
     * @param paramsJson the params object as JSON
     * @param timeout the longest wait
     * @return the {@code result} object
     * @throws Exception on an error reply or a timeout
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String method, String paramsJson, Duration timeout) throws Exception {
        final int id = nextId.getAndIncrement();
        final CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true);
        final Map<String, Object> message = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message.containsKey("error")) {
            throw new IllegalStateException(method + " failed: " + message.get("error"));
        }
        return (Map<String, Object>) message.get("result");
    }

    /**
     * A future for the next event of a kind; ask for it before triggering the event.
     *
     * @param method for example {@code Page.loadEventFired}
     * @return the future params of the event
     */
    public CompletableFuture<Map<String, Object>> nextEvent(String method) {
        return events.computeIfAbsent(method, m -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null);
    }

    @SuppressWarnings("unchecked")
    private void onMessage(String text) {
        final Map<String, Object> message = Json.object(text);
        final Object id = message.get("id");
        if (id instanceof Long value) {
            final CompletableFuture<Map<String, Object>> reply = pending.remove(value.intValue());
            if (reply != null) {
                reply.complete(message);
            }
        } else if (message.get("method") instanceof String method) {
            final CompletableFuture<Map<String, Object>> waiter = events.remove(method);
            if (waiter != null) {
                waiter.complete((Map<String, Object>) message.get("params"));
            }
        }
    }

    /** Reassembles text messages that arrive in parts. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile DevTools session;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                final String message = text.toString();
                text.setLength(0);
                if (session != null) {
                    session.onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
