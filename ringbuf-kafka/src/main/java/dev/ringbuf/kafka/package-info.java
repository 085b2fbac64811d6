/**
 * Rings beyond one host: {@link dev.ringbuf.kafka.RingKafkaRelay} drains a ring into Apache Kafka (idempotent,
 * {@code acks=all}, one partition per ring, a record's ring space released only once Kafka acknowledged it), and
 * {@link dev.ringbuf.kafka.RingKafkaReceiver} reads a consumer group back as a {@code Flux} with backpressure and
 * acknowledged offsets. Runtime dependencies: {@code ringbuf-reactor} and {@code kafka-clients}. See
 * {@code docs/scale-out.md}.
 */
@NullMarked
package dev.ringbuf.kafka;

import org.jspecify.annotations.NullMarked;
