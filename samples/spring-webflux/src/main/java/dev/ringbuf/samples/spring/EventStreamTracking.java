package dev.ringbuf.samples.spring;

import dev.ringbuf.samples.feed.OpenStreams;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts the {@code /events} responses being written ({@link OpenStreams}), so that {@link FeedLifecycle} can wait,
 * at shutdown, until the last bytes of every stream are written before the web server closes the connections.
 * The filter chain's {@code Mono} completes once WebFlux has written the whole response.
 */
@Component
public class EventStreamTracking implements WebFilter {

    private final OpenStreams streams;

    /**
     * The filter.
     *
     * @param streams the counter
     */
    public EventStreamTracking(OpenStreams streams) {
        this.streams = streams;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/events")) {
            return chain.filter(exchange);
        }
        return streams.track(chain.filter(exchange));
    }
}
