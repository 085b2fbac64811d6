package dev.ringbuf.reactor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Starts a drain's poll-interval timer: on the {@linkplain RingBufferFluxBuilder#pollScheduler chosen timer
 * scheduler}, else on the drain's own worker, else (a worker without a timer: {@code Schedulers.immediate()},
 * {@code Schedulers.fromExecutorService} of a plain executor such as a virtual-thread-per-task one) on
 * {@code Schedulers.parallel()}. The tick only signals the drain, which runs on its own worker.
 */
final class PollTimer {

    private PollTimer() {
    }

    static Disposable start(Scheduler.Worker worker, Scheduler timer, Runnable tick, long periodNanos) {
        if (timer != null) {
            return timer.schedulePeriodically(tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
        try {
            return worker.schedulePeriodically(tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException noTimer) {
            try {
                return Schedulers.parallel().schedulePeriodically(tick, periodNanos, periodNanos,
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException rejected) {
                rejected.addSuppressed(noTimer);
                throw new IllegalStateException("neither scheduler worker " + worker + " nor Schedulers.parallel() "
                        + "can run the poll-interval timer (every " + periodNanos + " ns): set pollScheduler(...) "
                        + "or pollInterval(Duration.ZERO)", rejected);
            }
        }
    }
}
