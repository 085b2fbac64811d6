/**
 * Spring Boot auto-configuration for ringbuf: {@code ringbuf.rings.<name>.*} properties become {@code RingBuffer}
 * beans, with their Micrometer meters, a health indicator per ring, the {@code ringbuf} actuator endpoint and an
 * ordered shutdown (producers, then rings, then the web server). Add {@code ringbuf-spring-boot-starter}.
 *
 * <pre>
 * ringbuf.rings.events.capacity=1MB
 * ringbuf.rings.events.max-record-size=16KB
 * </pre>
 */
@NullMarked
package dev.ringbuf.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
