package dev.ringbuf.samples.event;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.nio.charset.StandardCharsets;

/**
 * The binary layout of an {@link Event} in the ring, and its JSON form.
 *
 * <p>Layout (little-endian, as every ringbuf accessor): {@code 0: long sequence}, {@code 8: long timestampMicros},
 * {@code 16: int producer}, {@code 20: int value}, {@code 24: int typeLength}, {@code 28: typeLength ASCII bytes}.
 * The record is variable-length: the type is written in place, and the ring keeps every record contiguous.
 *
 * <pre>{@code
 * boolean written = EventCodec.write(ring, producer, seq, micros, EventCodec.typeBytes("page.view"), 42, Wakeup.DEFAULT);
 * ring.consume(record -> handle(EventCodec.decode(record)));   // decode copies: the Event outlives the view
 * }</pre>
 */
public final class EventCodec {

    /** Offset of the producer's sequence number. */
    public static final int SEQUENCE = 0;
    /** Offset of the emission time, microseconds since the epoch. */
    public static final int TIMESTAMP = 8;
    /** Offset of the producer index. */
    public static final int PRODUCER = 16;
    /** Offset of the value. */
    public static final int VALUE = 20;
    /** Offset of the type's length in bytes. */
    public static final int TYPE_LENGTH = 24;
    /** Offset of the type's ASCII bytes. */
    public static final int TYPE = 28;
    /** The longest type, in bytes. */
    public static final int MAX_TYPE_LENGTH = 64;

    private EventCodec() {
    }

    /**
     * The record size of an event whose type has {@code typeLength} bytes.
     *
     * @param typeLength the type's length in bytes
     * @return the payload size to reserve
     */
    public static int size(int typeLength) {
        return TYPE + typeLength;
    }

    /**
     * The ASCII bytes of a type, checked once so that producers can reuse them.
     *
     * @param type the type, printable ASCII without quotes or backslashes, 1 to {@value #MAX_TYPE_LENGTH} chars
     * @return its bytes
     * @throws IllegalArgumentException if the type breaks the rule
     */
    public static byte[] typeBytes(String type) {
        if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
            throw new IllegalArgumentException(
                    "type '" + type + "' must have 1 to " + MAX_TYPE_LENGTH + " characters, has " + type.length());
        }
        for (int i = 0; i < type.length(); i++) {
            final char c = type.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalArgumentException("type '" + type + "' must be printable ASCII without quotes or"
                        + " backslashes; character " + i + " is U+" + Integer.toHexString(c));
            }
        }
        return type.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reserves, writes and commits one event (zero copy: the fields go straight into the ring).
     *
     * @param ring the ring
     * @param producer the producer index
     * @param sequence the producer's sequence number
     * @param timestampMicros microseconds since the epoch
     * @param type the type's bytes, from {@link #typeBytes(String)}
     * @param value the value
     * @param wakeup how to wake the consumer
     * @return {@code true} if written, {@code false} if the ring was full or closed (the ring counted the drop)
     */
    public static boolean write(RingBuffer ring, int producer, long sequence, long timestampMicros, byte[] type,
            int value, Wakeup wakeup) {
        try (Reservation r = ring.reserve(size(type.length))) {
            if (r == null) {
                return false;
            }
            r.putLong(SEQUENCE, sequence)
                    .putLong(TIMESTAMP, timestampMicros)
                    .putInt(PRODUCER, producer)
                    .putInt(VALUE, value)
                    .putInt(TYPE_LENGTH, type.length)
                    .putBytes(TYPE, type, 0, type.length);
            r.commit(wakeup);
            return true;
        }
    }

    /**
     * Decodes a record into a detached {@link Event}: safe to keep after the record's view is released.
     *
     * @param record a record written by {@link #write}
     * @return the event
     * @throws IllegalArgumentException if the record is not an event
     */
    public static Event decode(Record record) {
        final int length = record.length();
        if (length < TYPE) {
            throw new IllegalArgumentException("record at position " + record.position() + " has " + length
                    + " bytes, an event has at least " + TYPE);
        }
        final int typeLength = record.getInt(TYPE_LENGTH);
        if (typeLength < 0 || typeLength > length - TYPE) {
            throw new IllegalArgumentException("record at position " + record.position() + " has a type length of "
                    + typeLength + ", more than its " + (length - TYPE) + " remaining bytes");
        }
        final byte[] type = new byte[typeLength];
        record.getBytes(TYPE, type, 0, typeLength);
        return new Event(record.position(), record.getInt(PRODUCER), record.getLong(SEQUENCE),
                record.getLong(TIMESTAMP), new String(type, StandardCharsets.US_ASCII), record.getInt(VALUE));
    }

    /**
     * The event as one line of JSON, for example
     * {@code {"id":4096,"producer":1,"seq":17,"ts":1767225600000000,"type":"page.view","value":42}}. Hand-written
     * (no JSON library): every field is a number except {@code type}, which is escaped.
     *
     * @param event the event
     * @return its JSON
     */
    public static String toJson(Event event) {
        final StringBuilder json = new StringBuilder(96 + event.type().length());
        json.append("{\"id\":").append(event.position())
                .append(",\"producer\":").append(event.producer())
                .append(",\"seq\":").append(event.sequence())
                .append(",\"ts\":").append(event.timestampMicros())
                .append(",\"type\":");
        appendJsonString(json, event.type());
        return json.append(",\"value\":").append(event.value()).append('}').toString();
    }

    /**
     * Appends a JSON string literal, escaping quotes, backslashes and control characters.
     *
     * @param json where to append
     * @param value the string
     */
    public static void appendJsonString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
