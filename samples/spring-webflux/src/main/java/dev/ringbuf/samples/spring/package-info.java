/**
 * The live event feed as a Spring Boot WebFlux application: how a Spring user wires a ring, its metrics and its
 * lifecycle as beans, and serves the ring's Flux as {@code Flux<ServerSentEvent<Event>>}.
 */
package dev.ringbuf.samples.spring;
