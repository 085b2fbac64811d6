package dev.ringbuf.samples.feed;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.EventCodec;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The feed's flight recorder: it keeps the latest events in a ring in overwrite mode
 * ({@code RingBuffer.builder().overwrite(true)}), so recording never fails and never waits: when the ring is full,
 * the oldest events make room. {@code GET /snapshot} takes what is there, oldest first, as one JSON document:
 *
 * <pre>{@code
 * {"events":[{"id":4096,"producer":1,"seq":17,...}, ...],"overwritten":1234,"capacity":65536}
 * }</pre>
 *
 * A snapshot consumes: the next one holds the events recorded after it (at most what fits). {@code overwritten} is
 * the ring's cumulative count of events overwritten before any snapshot took them.
 */
public final class FlightRecorder {

    /** The recorder's ring: 64 KiB of events as JSON, about 500 of them. */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    private final RingBuffer ring;

    /**
     * A recorder with its own overwrite-mode ring.
     *
     * @param capacity the ring's capacity, a power of two from 4096
     */
    public FlightRecorder(int capacity) {
        this.ring = RingBuffer.builder().name("flight-recorder").capacity(capacity).maxRecordSize(1024)
                .overwrite(true).build();
    }

    /**
     * Records an event; the oldest events make room when the ring is full. Thread-safe, never blocks.
     *
     * @param event the event
     */
    public void record(Event event) {
        ring.output(EventCodec.toJson(event).getBytes(StandardCharsets.UTF_8), Wakeup.NONE);
    }

    /**
     * Takes the events recorded since the last snapshot, oldest first.
     *
     * @return a JSON document: {@code events}, {@code overwritten}, {@code capacity}
     */
    public synchronized String snapshot() {
        final StringBuilder json = new StringBuilder(4096).append("{\"events\":[");
        final int[] count = {0};
        ring.consume(record -> {
            if (count[0]++ > 0) {
                json.append(',');
            }
            json.append(new String(record.toByteArray(), StandardCharsets.UTF_8));
        });
        return json.append("],\"overwritten\":").append(ring.overwrittenRecords())
                .append(",\"capacity\":").append(ring.capacity()).append('}').toString();
    }

    /**
     * The {@code GET /snapshot} route.
     *
     * @param request the request
     * @param response the response
     * @return the response's completion
     */
    public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        return response.header("Content-Type", "application/json")
                .sendString(Mono.fromCallable(this::snapshot), StandardCharsets.UTF_8);
    }

    /**
     * The recorder's ring, for meters and tests.
     *
     * @return the overwrite-mode ring
     */
    public RingBuffer ring() {
        return ring;
    }
}
