package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Waits, before the rings are closed, for the tasks that the application's task schedulers are running: the
 * {@code @Scheduled} producers.
 *
 * <p>Spring stops scheduling when the context starts to close ({@code ContextClosedEvent}: a
 * {@link ThreadPoolTaskScheduler} shuts its executor down, which cancels the periodic tasks), but a task that is
 * running then goes on, and the scheduler's own lifecycle phase ({@code Integer.MAX_VALUE / 2}) comes after
 * the rings' ({@link RingBufferPhases#RINGS}). Without this wait, a ring closed under a running {@code @Scheduled}
 * method would drop the rest of its writes (counted {@code closed}). A scheduler configured to keep accepting tasks
 * after the close ({@code acceptTasksAfterContextClose}, {@code waitForTasksToCompleteOnShutdown}) is not shut down
 * then, and is not waited for: the application chose to let it run.
 */
final class ScheduledProducers implements Runnable {

    private static final Log log = LogFactory.getLog(ScheduledProducers.class);

    private final Supplier<List<ThreadPoolTaskScheduler>> schedulers;
    private final Duration timeout;

    ScheduledProducers(Supplier<List<ThreadPoolTaskScheduler>> schedulers, Duration timeout) {
        this.schedulers = schedulers;
        this.timeout = timeout;
    }

    /** Waits, up to the timeout in all, for every shut-down scheduler's running tasks to finish. */
    @Override
    public void run() {
        final long deadline = Timeouts.deadline(timeout);
        for (ThreadPoolTaskScheduler scheduler : schedulers.get()) {
            final ExecutorService executor;
            try {
                executor = scheduler.getScheduledExecutor();
            } catch (IllegalStateException notInitialized) {
                continue;
            }
            if (!executor.isShutdown()) {
                continue;
            }
            try {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("ringbuf: the task scheduler '" + scheduler.getThreadNamePrefix() + "' still runs tasks "
                            + "after " + timeout + " (ringbuf.shutdown.drain-timeout); the rings are closed anyway, "
                            + "and its later writes are dropped (counted 'closed')");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
