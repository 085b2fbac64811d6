/**
 * The live event feed as a Spring Boot WebFlux application on {@code ringbuf-spring-boot-starter}: the ring comes
 * from {@code ringbuf.rings.events.*}, and the application serves the ring's Flux as
 * {@code Flux<ServerSentEvent<Event>>}.
 */
@NullMarked
package dev.ringbuf.samples.spring;

import org.jspecify.annotations.NullMarked;
