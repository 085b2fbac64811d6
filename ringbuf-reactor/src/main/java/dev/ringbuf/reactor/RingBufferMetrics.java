package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The ring's counters and state as Micrometer meters: function counters and gauges that read the ring's own
 * counters when the registry is scraped, so nothing is added to the producers' or the consumer's path.
 *
 * <pre>{@code
 * new RingBufferMetrics(ring, Tags.of("app", "feed")).bindTo(registry);
 * // Prometheus: rate(ringbuf_records_dropped_total{reason="full"}[1m])
 * }</pre>
 *
 * <table>
 *   <caption>Meters (every one tagged {@code ring} = the ring's name, plus the tags given here)</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code ringbuf.records.dropped}</td><td>FunctionCounter, records</td>
 *       <td>{@code reason} = full, closed, oversize</td></tr>
 *   <tr><td>{@code ringbuf.records.consumed}</td><td>FunctionCounter, records</td><td></td></tr>
 *   <tr><td>{@code ringbuf.records.discarded}</td><td>FunctionCounter, records</td><td></td></tr>
 *   <tr><td>{@code ringbuf.wakeups}</td><td>FunctionCounter, wakeups</td><td></td></tr>
 *   <tr><td>{@code ringbuf.records.overwritten}</td><td>FunctionCounter, records</td>
 *       <td>overwrite-mode rings only</td></tr>
 *   <tr><td>{@code ringbuf.capacity}</td><td>Gauge, bytes</td><td></td></tr>
 *   <tr><td>{@code ringbuf.available}</td><td>Gauge, bytes</td><td></td></tr>
 *   <tr><td>{@code ringbuf.consumer.blocked}</td><td>Gauge, seconds</td>
 *       <td>how long a busy record has stopped the consumer ({@link RingBuffer#blockedNanos()})</td></tr>
 *   <tr><td>{@code ringbuf.records.abandoned}</td><td>FunctionCounter, records</td>
 *       <td>rings with a {@link RingBuffer#stallTimeout() stall timeout} only</td></tr>
 *   <tr><td>{@code ringbuf.subscriber.demand}</td><td>Gauge, records</td>
 *       <td>while a {@link RingBufferFlux} subscriber is attached</td></tr>
 * </table>
 *
 * <p>The record counters carry no Micrometer base unit (the unit is in their description), so that Prometheus
 * names them {@code ringbuf_records_dropped_total} and not {@code ringbuf_records_dropped_records_total}. The meters
 * hold the ring weakly, as Micrometer's function meters do: a ring that is dropped stops being reported.
 */
public final class RingBufferMetrics implements MeterBinder {

    /** The tag every meter carries: the ring's {@link RingBuffer#name() name}. */
    public static final String RING_TAG = "ring";

    private final RingBuffer ring;
    private final Tags tags;

    /**
     * Meters tagged {@code ring} only.
     *
     * @param ring the ring to report
     * @throws NullPointerException if {@code ring} is null
     */
    public RingBufferMetrics(RingBuffer ring) {
        this(ring, Tags.empty());
    }

    /**
     * Meters tagged {@code ring} and {@code tags}.
     *
     * @param ring the ring to report
     * @param tags extra tags for every meter (not {@code ring})
     * @throws NullPointerException if an argument is null
     */
    public RingBufferMetrics(RingBuffer ring, Iterable<Tag> tags) {
        this.ring = Objects.requireNonNull(ring, "ring must not be null");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags must not be null"));
        for (Tag tag : this.tags) {
            if (tag.getKey().equals(RING_TAG)) {
                throw new IllegalArgumentException("tag '" + RING_TAG + "=" + tag.getValue() + "' is reserved: every"
                        + " meter is tagged ring=" + ring.name() + " (the ring's name)");
            }
        }
    }

    /**
     * Registers the meters in {@code registry}; the demand gauge appears there while a subscriber is attached.
     *
     * @param registry the registry
     * @throws NullPointerException if {@code registry} is null
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry must not be null");
        final Tags ringTags = tags.and(RING_TAG, ring.name());
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("ringbuf.records.dropped", ring, r -> r.droppedRecords(reason))
                    .description("Records (in records) whose reservation failed: full = the ring had no room (the "
                            + "backpressure signal), closed = the ring was closed, oversize = larger than "
                            + "maxRecordSize")
                    .tags(ringTags)
                    .tag("reason", reason.tag())
                    .register(registry);
        }
        FunctionCounter.builder("ringbuf.records.consumed", ring, RingBuffer::consumedRecords)
                .description("Records (in records) delivered to the ring's consumer")
                .tags(ringTags)
                .register(registry);
        FunctionCounter.builder("ringbuf.records.discarded", ring, RingBuffer::discardedRecords)
                .description("Records (in records) discarded by their producers and skipped by the consumer")
                .tags(ringTags)
                .register(registry);
        FunctionCounter.builder("ringbuf.wakeups", ring, RingBuffer::wakeups)
                .description("Wakeups producers sent to the consumer")
                .baseUnit("wakeups")
                .tags(ringTags)
                .register(registry);
        if (ring.stallTimeout().isPresent()) {
            // Only a ring that abandons stuck records carries this meter: ring files (a producer process died between
            // reserve and commit) and in-process rings built with a stall timeout; the others never abandon.
            FunctionCounter.builder("ringbuf.records.abandoned", ring, RingBuffer::abandonedRecords)
                    .description("Busy records (in records) the consumer abandoned because their producer did not "
                            + "commit them within the stall timeout")
                    .tags(ringTags)
                    .register(registry);
        }
        if (ring.isOverwrite()) {
            // Only an overwrite-mode ring overwrites records; a normal ring does not carry a meter that is always 0.
            FunctionCounter.builder("ringbuf.records.overwritten", ring, RingBuffer::overwrittenRecords)
                    .description("Records (in records) producers overwrote in an overwrite-mode ring before the "
                            + "consumer read them")
                    .tags(ringTags)
                    .register(registry);
        }
        Gauge.builder("ringbuf.capacity", ring, RingBuffer::capacity)
                .description("Bytes of the ring's data area")
                .baseUnit(BaseUnits.BYTES)
                .tags(ringTags)
                .register(registry);
        Gauge.builder("ringbuf.available", ring, RingBuffer::availableData)
                .description("Bytes between the consumer and the producer position: committed, busy, discarded and"
                        + " unreleased records")
                .baseUnit(BaseUnits.BYTES)
                .tags(ringTags)
                .register(registry);
        // A TimeGauge: the registry scales nanoseconds to its base time unit (seconds for Prometheus).
        TimeGauge.builder("ringbuf.consumer.blocked", ring, TimeUnit.NANOSECONDS, RingBuffer::blockedNanos)
                .description("How long the consumer has been stopped by a busy record at its read position (a "
                        + "reservation not yet committed), as of its last poll; 0 when it is not blocked. Rising with "
                        + "a full ring: a stuck reservation, not a slow drain")
                .tags(ringTags)
                .register(registry);
        SubscriberMeters.bind(ring, registry, tags);
    }
}
