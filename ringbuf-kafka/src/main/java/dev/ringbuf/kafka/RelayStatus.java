package dev.ringbuf.kafka;

import dev.ringbuf.core.Timeouts;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A relay's {@link RelayState} and its stall detection: the one place that decides the relay is stalled, logs it
 * (at the first detection, then at every stall timeout while it lasts, then once when it resumes) and counts it.
 *
 * <p>Stalled means: records are waiting (in flight or parked for a retry) and none was acknowledged for the stall
 * timeout, or the start check cannot reach Kafka. The cause named is the last send error since the last
 * acknowledgement, or, when the producer reported none (it retries internally until {@code delivery.timeout.ms}),
 * that Kafka acknowledged nothing.
 */
final class RelayStatus {

    /** Looked up per line (rare): the logger factory in place now (a test's capture) is the one used. */
    private static Logger log() {
        return Loggers.getLogger(RingKafkaRelay.class);
    }

    private final String ring;
    private final String target;
    private final long stallNanos;
    private final RelayMeters meters;
    private volatile RelayState state = RelayState.STARTING;
    private volatile String cause;
    /** When an acknowledgement (or the start) last showed progress. */
    private volatile long lastProgress = System.nanoTime();
    /** The last send error since the last acknowledgement, or null. */
    private volatile String lastError;
    /** Whether a retry was logged since the last acknowledgement (reset by it). */
    private volatile boolean retryLogged;
    /** Relay thread only: when a retry may be logged again within an episode. */
    private long nextRetryLog;
    /** Relay thread only: when the stall is logged next. */
    private long nextLog;
    private long stalledSince;

    RelayStatus(String ring, String target, Duration stallTimeout, RelayMeters meters) {
        this.ring = ring;
        this.target = target;
        this.stallNanos = Timeouts.toNanos(stallTimeout);
        this.meters = meters;
    }

    RelayState state() {
        return state;
    }

    String cause() {
        return cause;
    }

    boolean stalled() {
        return state == RelayState.STALLED;
    }

    /** The start check passed. Relay thread. */
    void running() {
        if (state == RelayState.STALLED) {
            resumed();
        }
        if (!state.isTerminal() && state != RelayState.STOPPING) {
            state = RelayState.RUNNING;
        }
        lastProgress = System.nanoTime();
    }

    void stopping() {
        if (!state.isTerminal()) {
            state = RelayState.STOPPING;
        }
    }

    void ended(boolean failed, String why) {
        if (failed) {
            cause = why;
        }
        state = failed ? RelayState.FAILED : RelayState.COMPLETED;
    }

    /** A send error (any thread): named as the cause if the relay stalls before the next acknowledgement. */
    void error(Throwable error) {
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /**
     * Relay thread: whether a retry deserves a log line now: the first since the last acknowledgement, then one per
     * stall timeout (a retriable error that repeats every back-off must not flood the log).
     */
    boolean retryLogDue() {
        final long now = System.nanoTime();
        if (!retryLogged || now - nextRetryLog >= 0) {
            retryLogged = true;
            nextRetryLog = now + stallNanos;
            return true;
        }
        return false;
    }

    /** An acknowledgement (I/O thread): progress; ends a stall. */
    void acknowledged() {
        lastProgress = System.nanoTime();
        lastError = null;
        retryLogged = false;
        if (state == RelayState.STALLED) {
            resumed();
            state = RelayState.RUNNING; // after the log line, as for the stall
        }
    }

    private void resumed() {
        log().info("relay of ring '{}' to {} resumed after a stall of {}", ring, target,
                Duration.ofNanos(System.nanoTime() - stalledSince));
        cause = null;
    }

    /** The start check cannot reach Kafka: stalled until it can (logged at first and at every stall timeout). */
    void waitingForKafka(String what) {
        stall("waiting for Kafka to " + what, true);
    }

    /** Periodic check (relay thread): waiting records and no acknowledgement for the stall timeout is a stall. */
    void check(boolean recordsWaiting) {
        if (!recordsWaiting) {
            lastProgress = System.nanoTime(); // nothing waits: the stall clock starts with the next waiting record
        }
        final RelayState now = state;
        if (now == RelayState.RUNNING && recordsWaiting && System.nanoTime() - lastProgress > stallNanos) {
            final String error = lastError;
            stall(meters.inFlight.get() + " records waiting and none acknowledged for "
                    + Duration.ofNanos(stallNanos) + ": " + (error != null ? "last send error " + error
                    : "Kafka does not acknowledge (broker unreachable, or the partition has no leader); the producer "
                    + "retries until delivery.timeout.ms"), false);
        } else if (now == RelayState.STALLED && System.nanoTime() - nextLog >= 0) {
            log().warn("relay of ring '{}' to {} still stalled after {}: {}", ring, target,
                    Duration.ofNanos(System.nanoTime() - stalledSince), cause);
            nextLog = System.nanoTime() + stallNanos;
        }
    }

    private void stall(String why, boolean startCheck) {
        if (state == RelayState.STALLED) {
            cause = why;
            check(false);
            return;
        }
        if (state.isTerminal() || state == RelayState.STOPPING || !startCheck && state != RelayState.RUNNING) {
            return;
        }
        cause = why;
        stalledSince = System.nanoTime();
        nextLog = stalledSince + stallNanos;
        meters.stalls.incrementAndGet();
        log().warn("relay of ring '{}' to {} stalled: {}", ring, target, why);
        state = RelayState.STALLED; // last: whoever sees the state finds the count and the log line
    }

    /** For the meters: whether the relay is stalled. */
    BooleanSupplier stalledSupplier() {
        return this::stalled;
    }
}
