package dev.ringbuf.kafka;

import java.util.Objects;

/**
 * What the relay does with a <em>poison</em> record: one that cannot be delivered however often it is sent again,
 * because of the record itself (Kafka rejected it, for example a record over {@code max.request.size} or the
 * topic's {@code max.message.bytes}, a null key on a compacted topic; or the key, value, header or timestamp
 * function or a serializer threw on it). Errors that are not about one record (authorization, a fenced or closed
 * producer) always stop the relay.
 *
 * <pre>{@code
 * RingKafkaRelay.builder(ring, props).topic("events")
 *         .poisonPolicy(PoisonPolicy.deadLetter("events.dlt"))   // or PoisonPolicy.skip(); default stop()
 *         .start();
 * }</pre>
 *
 * <p>Never an uncounted gap: a skipped record is counted ({@code ringbuf.kafka.records.skipped}) and logged with
 * its ring position; a dead-lettered one is counted ({@code ringbuf.kafka.records.dead.lettered}) once the
 * dead-letter topic acknowledged it, and only then released; with {@link #stop()}, the record stays in the ring
 * (a new relay meets it first) and {@link RelayException#completion()} says how many records sent after it Kafka
 * acknowledged anyway (they are in the topic ahead of it).
 */
public final class PoisonPolicy {

    /** What the relay does with a poison record. */
    public enum Action {
        /** The relay stops ({@link RingKafkaRelay#completion()} fails); the record stays in the ring. */
        STOP,
        /** The record is released without being sent, counted and logged; the relay goes on. */
        SKIP,
        /** The record's payload goes to a dead-letter topic with the cause in its headers; the relay goes on. */
        DEAD_LETTER
    }

    /** Header of a dead-lettered record: the ring's name. */
    public static final String HEADER_RING = "ringbuf.dlt.ring";
    /** Header of a dead-lettered record: the record's ring position (decimal). */
    public static final String HEADER_POSITION = "ringbuf.dlt.position";
    /** Header of a dead-lettered record: the topic it was meant for. */
    public static final String HEADER_TOPIC = "ringbuf.dlt.topic";
    /** Header of a dead-lettered record: the class of the exception that made it poison. */
    public static final String HEADER_EXCEPTION = "ringbuf.dlt.exception";
    /** Header of a dead-lettered record: the exception's message. */
    public static final String HEADER_MESSAGE = "ringbuf.dlt.message";
    /** Header of a dead-lettered record: the payload's length, when the payload itself was too large to send. */
    public static final String HEADER_PAYLOAD_LENGTH = "ringbuf.dlt.payload.length";

    private static final PoisonPolicy STOP = new PoisonPolicy(Action.STOP, null);
    private static final PoisonPolicy SKIP = new PoisonPolicy(Action.SKIP, null);

    private final Action action;
    private final String deadLetterTopic;

    private PoisonPolicy(Action action, String deadLetterTopic) {
        this.action = action;
        this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * Stop the relay at the first poison record (the default: nothing is dropped that the user did not choose to).
     *
     * @return the policy
     */
    public static PoisonPolicy stop() {
        return STOP;
    }

    /**
     * Release a poison record without sending it, count it and log it, and go on.
     *
     * @return the policy
     */
    public static PoisonPolicy skip() {
        return SKIP;
    }

    /**
     * Send a poison record's payload (the ring's bytes, no key) to {@code topic} with the headers {@link
     * #HEADER_RING}, {@link #HEADER_POSITION}, {@link #HEADER_TOPIC}, {@link #HEADER_EXCEPTION} and {@link
     * #HEADER_MESSAGE}, and go on. A payload too large to send is left out ({@link #HEADER_PAYLOAD_LENGTH} says
     * its length). If the dead-letter topic rejects it too, the relay stops. The topic must exist (checked at start).
     *
     * @param topic the dead-letter topic, not blank
     * @return the policy
     * @throws IllegalArgumentException if {@code topic} is null or blank
     */
    public static PoisonPolicy deadLetter(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("dead-letter topic '" + topic + "' must be a non-blank topic name");
        }
        return new PoisonPolicy(Action.DEAD_LETTER, topic);
    }

    /**
     * What is done with a poison record.
     *
     * @return the action
     */
    public Action action() {
        return action;
    }

    /**
     * The dead-letter topic, or null unless the action is {@link Action#DEAD_LETTER}.
     *
     * @return the topic or null
     */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PoisonPolicy p && p.action == action && Objects.equals(p.deadLetterTopic,
                deadLetterTopic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, deadLetterTopic);
    }

    @Override
    public String toString() {
        return action == Action.DEAD_LETTER ? "deadLetter(" + deadLetterTopic + ")" : action.name().toLowerCase();
    }
}
