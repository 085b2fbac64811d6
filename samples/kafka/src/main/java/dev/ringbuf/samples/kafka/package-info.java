/**
 * Beyond one host: two {@link dev.ringbuf.samples.kafka.FeedRelay feed servers}, each with its own ring and
 * producers, relay into one Kafka topic, and an {@link dev.ringbuf.samples.kafka.Aggregator aggregator} serves the
 * merged stream as Server-Sent Events with the feed dashboard. See {@code docs/scale-out.md}.
 */
@NullMarked
package dev.ringbuf.samples.kafka;

import org.jspecify.annotations.NullMarked;
