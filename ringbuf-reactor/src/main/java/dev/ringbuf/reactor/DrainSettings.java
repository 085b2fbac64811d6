package dev.ringbuf.reactor;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** A snapshot of a builder's settings, shared by every subscription of one Flux. */
final class DrainSettings {

    /** Null: {@code Schedulers.parallel()}, looked up per subscription. */
    private final Scheduler scheduler;
    /** Zero: no poll timer. */
    final long pollIntervalNanos;
    final int batchSize;
    /** Null: no subscriber meters beyond those of bound {@link RingBufferMetrics}. */
    final MeterRegistry registry;
    /** Null: the poll timer runs on the drain's worker, or on {@code Schedulers.parallel()} if it has no timer. */
    final Scheduler pollScheduler;
    /** Manual release: warn when the oldest unreleased record is older than this; 0 never. */
    final long stallWarningNanos;
    /** How long a new subscriber waits behind a live one before it gets onError. */
    final long handOverNanos;

    DrainSettings(Scheduler scheduler, long pollIntervalNanos, int batchSize, MeterRegistry registry,
            Scheduler pollScheduler, long stallWarningNanos, long handOverNanos) {
        this.scheduler = scheduler;
        this.pollIntervalNanos = pollIntervalNanos;
        this.batchSize = batchSize;
        this.registry = registry;
        this.pollScheduler = pollScheduler;
        this.stallWarningNanos = stallWarningNanos;
        this.handOverNanos = handOverNanos;
    }

    /** The scheduler to run the next subscription on, resolved now so that virtual time can replace the default. */
    Scheduler scheduler() {
        return scheduler != null ? scheduler : Schedulers.parallel();
    }
}
