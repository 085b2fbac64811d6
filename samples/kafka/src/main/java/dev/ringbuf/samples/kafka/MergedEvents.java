package dev.ringbuf.samples.kafka;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.samples.event.Event;
import dev.ringbuf.samples.event.EventCodec;
import java.nio.charset.StandardCharsets;

/**
 * The aggregator's ring records: an event exactly as a feed server wrote it ({@link EventCodec}'s layout, the
 * Kafka value), followed by the name of the feed it came from (the Kafka key) and one byte with that name's length.
 * {@link EventCodec#decode(Record)} reads such a record as it is (it ignores bytes after the type).
 */
public final class MergedEvents {

    /** The longest feed name, in bytes. */
    public static final int MAX_FEED_LENGTH = 64;

    private MergedEvents() {
    }

    /**
     * Writes one received event into the aggregator's ring (one copy: Kafka's bytes into the ring).
     *
     * @param ring the aggregator's ring
     * @param feed the feed's name, UTF-8, at most {@value #MAX_FEED_LENGTH} bytes
     * @param event the event's bytes, as the feed server's ring held them
     * @return {@code true} if written, {@code false} if the ring is full or closed
     * @throws IllegalArgumentException if the feed name is too long
     */
    public static boolean write(RingBuffer ring, byte[] feed, byte[] event) {
        if (feed.length > MAX_FEED_LENGTH) {
            throw new IllegalArgumentException("feed name of " + feed.length + " bytes: at most " + MAX_FEED_LENGTH);
        }
        try (Reservation r = ring.reserve(event.length + feed.length + 1)) {
            if (r == null) {
                return false;
            }
            r.putBytes(0, event, 0, event.length)
                    .putBytes(event.length, feed, 0, feed.length)
                    .putByte(event.length + feed.length, (byte) feed.length);
            r.commit(Wakeup.DEFAULT);
            return true;
        }
    }

    /**
     * The Server-Sent Events frame of a merged record: {@code id:} its position in the aggregator's ring,
     * {@code data:} the event's JSON with a {@code "feed"} field first.
     *
     * @param record a record written by {@link #write}
     * @return the frame
     */
    public static String frame(Record record) {
        final Event event = EventCodec.decode(record);
        final int feedLength = record.getByte(record.length() - 1) & 0xff;
        final byte[] feed = new byte[feedLength];
        record.getBytes(record.length() - 1 - feedLength, feed, 0, feedLength);
        final StringBuilder json = new StringBuilder(128).append("{\"feed\":");
        EventCodec.appendJsonString(json, new String(feed, StandardCharsets.UTF_8));
        json.append(',').append(EventCodec.toJson(event), 1, EventCodec.toJson(event).length());
        return "id: " + event.position() + "\ndata: " + json + "\n\n";
    }
}
