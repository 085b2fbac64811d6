/**
 * Kafka relays from {@code ringbuf.kafka.relays.<name>.*}: one {@link dev.ringbuf.kafka.RingKafkaRelay} per entry,
 * on Spring Boot's Kafka connection details and {@code spring.kafka.producer.*}, with a health indicator and an
 * ordered shutdown ({@link dev.ringbuf.spring.boot.autoconfigure.kafka.RingKafkaRelays}). Active when
 * {@code ringbuf-kafka} and {@code spring-boot-kafka} are on the classpath.
 */
package dev.ringbuf.spring.boot.autoconfigure.kafka;
