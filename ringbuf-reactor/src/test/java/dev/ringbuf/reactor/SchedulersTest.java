package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Any Reactor scheduler runs the drain, including executor-based ones without a timer. */
class SchedulersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aPlainExecutorSchedulerDrainsAndItsPollTimerTicksElsewhere() {
        ExecutorService executor = Executors.newFixedThreadPool(1);
        try {
            assertDrainsNoneCommits(Schedulers.fromExecutorService(executor), "executor");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void aVirtualThreadSchedulerDrains() throws ReflectiveOperationException {
        // Reflection: the build targets Java 17, where newVirtualThreadPerTaskExecutor does not exist.
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try {
            assertDrainsNoneCommits(Schedulers.fromExecutorService(executor), "virtual");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void thePollTimerMayLiveOnItsOwnScheduler() {
        RingBuffer ring = Rings.ring("poll-scheduler", 4096);
        Scheduler timer = Schedulers.newSingle("ring-poll");
        try {
            StepVerifier.create(RingBufferFlux.builder(ring).scheduler(Schedulers.boundedElastic())
                            .pollScheduler(timer).pollInterval(Duration.ofMillis(5)).decode(Rings::seq).take(1))
                    .then(() -> Rings.put(ring, 7L, Wakeup.NONE)) // only the poll timer picks it up
                    .expectNext(7L)
                    .expectComplete()
                    .verify(TIMEOUT);
        } finally {
            timer.dispose();
        }
    }

    private static void assertDrainsNoneCommits(Scheduler scheduler, String name) {
        RingBuffer ring = Rings.ring("scheduler-" + name, 4096);
        StepVerifier.create(RingBufferFlux.builder(ring).scheduler(scheduler).pollInterval(Duration.ofMillis(5))
                        .decode(Rings::seq).take(3))
                .then(() -> {
                    Rings.put(ring, 0L);
                    Rings.put(ring, 1L, Wakeup.NONE);
                    Rings.put(ring, 2L, Wakeup.NONE);
                })
                .expectNext(0L, 1L, 2L)
                .expectComplete()
                .verify(TIMEOUT);
    }
}
