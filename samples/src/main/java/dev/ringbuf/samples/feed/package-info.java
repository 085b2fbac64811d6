/**
 * The feed server: a live event feed over HTTP on Reactor Netty. Producers write events into one ring; the ring's
 * Flux is subscribed once and fanned out ({@link dev.ringbuf.reactor.RingFanOut}) to every Server-Sent Events
 * client with its own bounded buffer; {@code /metrics} serves Prometheus text; {@code /} is a dashboard page.
 * Start it with {@code java -jar samples/target/ringbuf-samples.jar --help}.
 */
@NullMarked
package dev.ringbuf.samples.feed;

import org.jspecify.annotations.NullMarked;
