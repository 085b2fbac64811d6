package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One ring's health:
 * <ul>
 *   <li>DOWN when the ring is closed, or when its consumer has been stopped at a busy record (a reservation neither
 *       committed nor discarded) for longer than {@code ringbuf.health.blocked-threshold};
 *   <li>OUT_OF_SERVICE ({@link #NOT_CONSUMED}) when records were dropped in the last {@code ringbuf.health.window}
 *       while no record was consumed: nobody reads the ring (no consumer, or a consumer that stopped), so whatever
 *       is written is lost. The ring itself works, which is why it is not DOWN; OUT_OF_SERVICE is a status every
 *       Spring Boot application already orders below DOWN and maps to HTTP 503, where a custom one (such as
 *       "DROPPING") would need {@code management.endpoint.health.status.order} and an HTTP mapping from each user;
 *   <li>UP otherwise, including a ring that drops while its consumer reads (the drop-newest overflow policy at
 *       work: the drop rate says how much).
 * </ul>
 * The details say why, and how the ring is doing:
 *
 * <table>
 *   <caption>Details</caption>
 *   <tr><td>{@code ring}</td><td>the ring's name, its meters' {@code ring} tag (the indicator is listed by bean
 *       name)</td></tr>
 *   <tr><td>{@code capacity}</td><td>bytes of the data area</td></tr>
 *   <tr><td>{@code lag}</td><td>bytes between the consumer and the producers (committed, busy, discarded)</td></tr>
 *   <tr><td>{@code fill}</td><td>{@code lag / capacity}, 0 to 1</td></tr>
 *   <tr><td>{@code blocked}</td><td>how long the consumer has been stopped at a busy record, as of its last poll
 *       ({@link RingState#blockedNanos()}; {@code PT0S} when not)</td></tr>
 *   <tr><td>{@code dropRate}</td><td>records dropped per second over the last {@code ringbuf.health.window},
 *       by reason</td></tr>
 *   <tr><td>{@code dropRateSeconds}</td><td>the span {@code dropRate} covers: the window, or less while the
 *       indicator is younger than the window, or more when health is checked less often</td></tr>
 *   <tr><td>{@code dropped}</td><td>records dropped since the ring was made, by reason</td></tr>
 *   <tr><td>{@code consumed}</td><td>records delivered to the consumer</td></tr>
 *   <tr><td>{@code file}</td><td>the ring file, for a shared ring</td></tr>
 * </table>
 *
 * <p>All of it is read from the ring's own counters when the indicator is called.
 */
public class RingBufferHealthIndicator implements HealthIndicator {

    /** The status of a ring that drops records while nothing consumes it. */
    public static final Status NOT_CONSUMED = Status.OUT_OF_SERVICE;

    /** The default of {@code ringbuf.health.window}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

    private final RingState ring;
    private final Duration blockedThreshold;
    private final ToLongFunction<RingState> blockedNanos;
    private final DropWindow window;

    /**
     * An indicator for {@code ring}.
     *
     * @param ring the ring (a {@link RingBuffer}, or any {@link RingState})
     * @param blockedThreshold how long the consumer may be blocked by a busy record before the ring is DOWN
     * @param window the span of the drop rate, and of the "dropping while nothing is consumed" check
     */
    public RingBufferHealthIndicator(RingState ring, Duration blockedThreshold, Duration window) {
        this(ring, blockedThreshold, window, RingState::blockedNanos, System::nanoTime);
    }

    RingBufferHealthIndicator(RingState ring, Duration blockedThreshold, Duration window,
            ToLongFunction<RingState> blockedNanos, LongSupplier nanoClock) {
        this.ring = Objects.requireNonNull(ring, "ring must not be null");
        this.blockedThreshold = Objects.requireNonNull(blockedThreshold, "blockedThreshold must not be null");
        if (blockedThreshold.isNegative() || blockedThreshold.isZero()) {
            throw new IllegalArgumentException("blockedThreshold " + blockedThreshold + " must be positive");
        }
        Objects.requireNonNull(window, "window must not be null");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window " + window + " must be positive");
        }
        this.blockedNanos = blockedNanos;
        this.window = new DropWindow(ring, window, nanoClock);
    }

    @Override
    public Health health() {
        final Duration blocked = Duration.ofNanos(blockedNanos.applyAsLong(ring));
        final DropWindow.Measure drops = window.measure();
        final Health.Builder health;
        if (ring.isClosed()) {
            health = Health.down().withDetail("reason", "closed: reservations fail; committed records are still "
                    + "delivered");
        } else if (blocked.compareTo(blockedThreshold) > 0) {
            health = Health.down().withDetail("reason", "the consumer has been blocked by a busy record for "
                    + blocked + " (threshold " + blockedThreshold + "): a producer reserved and neither committed "
                    + "nor discarded");
        } else if (drops.dropped() > 0 && drops.consumed() == 0) {
            health = Health.status(NOT_CONSUMED).withDetail("reason", drops.dropped() + " records dropped and none "
                    + "consumed in the last " + drops.seconds() + "s: nothing reads this ring (no consumer, or one "
                    + "that stopped), so what is written into it is lost");
        } else {
            health = Health.up();
        }
        final long lag = ring.availableData();
        health.withDetail("ring", ring.name())
                .withDetail("capacity", ring.capacity())
                .withDetail("lag", lag)
                .withDetail("fill", Math.round(lag * 1000.0 / ring.capacity()) / 1000.0)
                .withDetail("blocked", blocked.toString())
                .withDetail("dropRate", drops.perSecond())
                .withDetail("dropRateSeconds", drops.seconds())
                .withDetail("dropped", dropped(ring))
                .withDetail("consumed", ring.consumedRecords());
        ring.file().ifPresent(file -> health.withDetail("file", file.toString()));
        return health.build();
    }

    static Map<String, Long> dropped(RingState ring) {
        final Map<String, Long> dropped = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason.tag(), ring.droppedRecords(reason));
        }
        return dropped;
    }
}
