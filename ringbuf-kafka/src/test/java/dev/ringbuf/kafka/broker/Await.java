package dev.ringbuf.kafka.broker;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for tests: waits for a condition with a deadline, never for a fixed time. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds or {@code timeout} passes.
     *
     * @param timeout the deadline
     * @param condition what to wait for
     * @param what describes the state, for the failure message
     * @throws AssertionError if the condition does not hold in time
     * @throws InterruptedException if interrupted
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L); // poll interval, not synchronisation
        }
    }
}
