package dev.ringbuf.kafka;

/**
 * Ends a {@link RingKafkaReceiver}'s Flux with a cause the receiver can name: a record its deserializer rejects
 * under {@link DeserializationFailurePolicy#FAIL}.
 */
public final class ReceiverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, where, and what to do
     * @param cause the Kafka error
     */
    public ReceiverException(String message, Throwable cause) {
        super(message, cause);
    }
}
