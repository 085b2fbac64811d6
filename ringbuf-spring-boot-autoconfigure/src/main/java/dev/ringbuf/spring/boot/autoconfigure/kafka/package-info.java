/**
 * Kafka relays from {@code ringbuf.kafka.relays.<name>.*}: one {@link dev.ringbuf.kafka.RingKafkaRelay} per entry,
 * on Spring Boot's Kafka connection details and {@code spring.kafka.producer.*}, with a health indicator and an
 * ordered shutdown ({@link dev.ringbuf.spring.boot.autoconfigure.kafka.RingKafkaRelays}). Active when
 * {@code ringbuf-kafka} and {@code spring-boot-kafka} are on the classpath.
 */
@NullMarked
package dev.ringbuf.spring.boot.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;
