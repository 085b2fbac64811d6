package dev.ringbuf.samples.feed;

import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.EventCodec;

/**
 * Server-Sent Events framing (the {@code text/event-stream} format of the HTML standard): each frame is
 * {@code field: value} lines ended by a blank line; a line starting with {@code :} is a comment that clients ignore.
 */
public final class SseFrames {

    /** The media type of an SSE response. */
    public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    /** The comment sent to keep an idle connection (and the proxies on its way) from timing out. */
    public static final String HEARTBEAT = ": heartbeat\n\n";

    private SseFrames() {
    }

    /**
     * An event's frame: {@code id:} is its ring position (strictly increasing along the stream, so a client can tell
     * a gap), {@code data:} its JSON on one line.
     *
     * @param event the event
     * @return the frame
     */
    public static String event(Event event) {
        return "id: " + event.position() + "\ndata: " + EventCodec.toJson(event) + "\n\n";
    }

    /**
     * A frame with only a {@code data:} line.
     *
     * @param json one line of JSON
     * @return the frame
     */
    public static String data(String json) {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("SSE data must be one line, was: " + json);
        }
        return "data: " + json + "\n\n";
    }

    /**
     * The first frame of a stream: the reconnection delay for the browser's {@code EventSource}, and a comment (it
     * also makes the server send the response headers at once, before the first event).
     */
    public static final String HELLO = "retry: 2000\n: connected\n\n";
}
