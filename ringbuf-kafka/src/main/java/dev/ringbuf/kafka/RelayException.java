package dev.ringbuf.kafka;

/**
 * Ends a relay: a failed start check (missing topic or partition, a ring whose records can exceed Kafka's size
 * limits), a poison record under {@link PoisonPolicy#stop()} (a record Kafka rejects, or a key, value, header or
 * serializer function that throws on it), a fatal Kafka error (authorization, a fenced producer), or an error of the
 * ring's Flux. {@link RingKafkaRelay#completion()} fails with it; {@link #completion()} says what was delivered.
 */
public final class RelayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What was delivered; set when the relay has ended (transient: a report, not state). */
    private transient RelayCompletion completion;

    /**
     * Creates the exception.
     *
     * @param message what could not be sent, and why
     * @param cause the Kafka or Flux error, or null
     */
    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What the relay delivered before and while it ended (null while it is still ending).
     *
     * @return the report, or null
     */
    public RelayCompletion completion() {
        return completion;
    }

    void completion(RelayCompletion report) {
        this.completion = report;
    }
}
