package dev.ringbuf.reactor;

import dev.ringbuf.core.RingGroup;
import dev.ringbuf.core.Timeouts;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link Flux} over a {@link RingGroup}: one drain on one scheduler worker consumes every ring of the group
 * against one demand, fairly (the group's round robin, {@link RingGroup#batchPerRing()} records per ring per pass),
 * each ring's order kept. Any ring's wakeup runs the drain; a poll timer picks up {@code Wakeup.NONE} commits. It
 * completes when the group {@linkplain RingGroup#isClosedAndDrained() is drained} (every ring closed and drained, or
 * the group closed). It is the same drain as a ring's Flux ({@link RingBufferFlux}), with the same rules: one
 * subscriber at a time (a second one queues behind the first, and gets {@code onError(IllegalStateException)} if the
 * first is still live after {@link RingBufferFluxBuilder#DEFAULT_HAND_OVER_TIMEOUT}); after a cancel a new
 * subscriber resumes where it stopped; the poll timer moves to {@code Schedulers.parallel()} on a scheduler without
 * one ({@code immediate()}, an executor's); Reactor's assembly hooks and {@code Scannable} apply.
 *
 * <pre>{@code
 * RingGroup group = RingGroup.of(shard0, shard1, shard2);
 * RingGroupFlux.records(group)
 *         .map(record -> decode(record.ring().name(), record))   // the view is valid inside onNext only
 *         .subscribe(sink);
 * }</pre>
 *
 * <p>Each ring keeps its own counters and its {@link RingBufferMetrics}; the per-subscriber demand gauge of
 * {@link RingBufferFlux} is not registered for a group.
 */
public final class RingGroupFlux {

    private RingGroupFlux() {
    }

    /**
     * The group's records on {@code Schedulers.parallel()}, polled every
     * {@link RingBufferFluxBuilder#DEFAULT_POLL_INTERVAL}.
     *
     * @param group the group
     * @return a cold Flux, one subscriber at a time
     */
    public static Flux<GroupRecord> records(RingGroup group) {
        return records(group, null, RingBufferFluxBuilder.DEFAULT_POLL_INTERVAL);
    }

    /**
     * The group's records on {@code scheduler}, polled every {@code pollInterval} (zero: no timer, for a scheduler
     * without one).
     *
     * @param group the group
     * @param scheduler where the drain runs; null for {@code Schedulers.parallel()}
     * @param pollInterval the poll timer's period, zero or positive
     * @return a cold Flux, one subscriber at a time
     * @throws IllegalArgumentException if {@code pollInterval} is negative
     */
    public static Flux<GroupRecord> records(RingGroup group, @Nullable Scheduler scheduler, Duration pollInterval) {
        Objects.requireNonNull(group, "group must not be null");
        Objects.requireNonNull(pollInterval, "pollInterval must not be null");
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval " + pollInterval + " must not be negative");
        }
        final DrainSettings settings = new DrainSettings(scheduler, Timeouts.toNanos(pollInterval),
                RingBufferFluxBuilder.DEFAULT_BATCH_SIZE, null, null, 0,
                Timeouts.toNanos(RingBufferFluxBuilder.DEFAULT_HAND_OVER_TIMEOUT));
        return RingBufferPublisher.create(DrainTarget.of(group), settings,
                (actual, worker) -> new GroupSubscription(actual, group, worker, settings));
    }
}
