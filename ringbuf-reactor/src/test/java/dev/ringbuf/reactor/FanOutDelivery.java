package dev.ringbuf.reactor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The schedulers a user may run a ring Flux and a fan-out on: the documented defaults and Reactor's own. */
enum FanOutDelivery {
    DEFAULTS, PARALLEL, BOUNDED_ELASTIC, VIRTUAL_THREADS, IMMEDIATE;

    /** The scheduler to configure, or {@code null} for the documented defaults (nothing configured). */
    Scheduler scheduler() {
        switch (this) {
            case PARALLEL:
                return Schedulers.parallel();
            case BOUNDED_ELASTIC:
                return Schedulers.boundedElastic();
            case IMMEDIATE:
                return Schedulers.immediate();
            case VIRTUAL_THREADS:
                return Schedulers.fromExecutorService(virtualThreads(), "virtual");
            default:
                return null;
        }
    }

    private static ExecutorService virtualThreads() {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21 or later; skipped on JDK " + Runtime.version().feature());
        try {
            // Reflection: the build targets Java 17, where newVirtualThreadPerTaskExecutor does not exist.
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
