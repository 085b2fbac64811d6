package dev.ringbuf.samples.spring;

import dev.ringbuf.reactor.RingFanOut;
import dev.ringbuf.samples.event.Event;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /events}: the ring's events as Server-Sent Events, {@code id:} = the record's ring position,
 * {@code data:} = the {@link Event} as JSON (Jackson), a {@code :heartbeat} comment at the configured interval.
 * Each request is one client of the fan-out, with its own bounded buffer: a slow client drops its own events
 * (counted in {@code feed_client_events_dropped_total{client=...}}) and never slows the others or the ring.
 */
@RestController
public class EventController {

    private final RingFanOut<Event> feed;
    private final FeedProperties properties;

    /**
     * The controller.
     *
     * @param feed the fan-out
     * @param properties the feed's settings
     */
    public EventController(RingFanOut<Event> feed, FeedProperties properties) {
        this.feed = feed;
        this.properties = properties;
    }

    /**
     * The event stream.
     *
     * @param client the client's name in the metrics (optional; letters, digits, {@code .}, {@code _}, {@code -})
     * @return the stream; it completes when the application shuts down
     */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Event>> events(@RequestParam(name = "client", required = false) String client) {
        final Flux<ServerSentEvent<Event>> events = feed.connect(client, properties.clientBuffer())
                .map(event -> ServerSentEvent.builder(event).id(Long.toString(event.position())).build());
        final Flux<ServerSentEvent<Event>> heartbeats = Flux.interval(properties.heartbeat(), properties.heartbeat())
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<Event>builder().comment("heartbeat").build())
                .takeUntilOther(feed.terminated());
        return Flux.merge(events, heartbeats);
    }
}
