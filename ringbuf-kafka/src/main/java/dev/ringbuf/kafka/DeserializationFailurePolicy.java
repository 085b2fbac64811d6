package dev.ringbuf.kafka;

/**
 * What {@link RingKafkaReceiver} does with a record its key or value deserializer rejects (Kafka's {@code
 * RecordDeserializationException}, which names the partition and offset and carries the raw bytes).
 *
 * <pre>{@code
 * RingKafkaReceiver.builder(props, topics, new StringDeserializer(), new JsonDeserializer())
 *         .deserializationFailure(DeserializationFailurePolicy.SKIP)
 *         .onDeserializationFailure(e -> deadLetters.send(e.topicPartition(), e.offset(), e.valueBuffer()))
 *         .build().receive();
 * }</pre>
 */
public enum DeserializationFailurePolicy {
    /**
     * The default: the Flux fails with a {@link ReceiverException} naming the partition and offset; nothing past
     * the record is committed, so a new receiver meets it again.
     */
    FAIL,
    /**
     * The receiver seeks past the record, counts it ({@code ringbuf.kafka.receiver.deserialization.failures}),
     * logs it and goes on; the listener, if any, gets the exception first (to dead-letter its bytes). Its offset
     * is committed with the records after it.
     */
    SKIP
}
