package dev.ringbuf.kafka;

/**
 * Ends a relay when a record cannot be delivered however often it is sent again: a non-retriable Kafka error (a
 * record over {@code max.request.size}, a key, value or serializer function that throws, an authorization failure),
 * or an error of the ring's Flux. {@link RingKafkaRelay#completion()} fails with it.
 */
public final class RelayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be sent, and why
     * @param cause the Kafka or Flux error
     */
    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
