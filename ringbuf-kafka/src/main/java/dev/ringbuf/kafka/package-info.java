/**
 * Rings beyond one host: {@link dev.ringbuf.kafka.RingKafkaRelay} drains a ring into Apache Kafka (idempotent,
 * {@code acks=all}, one partition per ring or order per key, a record's ring space released only once Kafka
 * acknowledged it; a start check, loud stalls and a {@link dev.ringbuf.kafka.PoisonPolicy}), and
 * {@link dev.ringbuf.kafka.RingKafkaReceiver} reads a consumer group back as a {@code Flux} with backpressure and
 * deferred commits (never past an unacknowledged record). Runtime dependencies: {@code ringbuf-reactor} and
 * {@code kafka-clients}. See {@code docs/scale-out.md}.
 */
@NullMarked
package dev.ringbuf.kafka;

import org.jspecify.annotations.NullMarked;
