package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.Timeouts;
import dev.ringbuf.reactor.RingFanOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts every {@link RingFanOut} bean (built with {@code build()}, not started) at {@link RingBufferPhases#CONSUMERS}:
 * before the application's producers start, so the fan-out reads from the first record on; and, after
 * {@link RingBufferLifecycle} has closed and drained their rings at shutdown, waits for each fan-out's source to
 * complete and disposes of it, so that every record written before the close reaches the fan-out's subscribers,
 * followed by their completion. A fan-out the application started itself is left to it.
 */
public class RingFanOutLifecycle implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(RingFanOutLifecycle.class);

    private final Supplier<List<RingFanOut<?>>> fanOuts;
    private final Duration timeout;
    private volatile List<RingFanOut<?>> started = List.of();
    private volatile boolean running;

    /**
     * The lifecycle of the given fan-outs.
     *
     * @param fanOuts every {@code RingFanOut} bean, resolved when the context starts
     * @param timeout how long to wait at shutdown for a fan-out's source to complete (its ring is closed and
     *     drained by then, so it completes at once unless its ring was given up on)
     */
    public RingFanOutLifecycle(Supplier<List<RingFanOut<?>>> fanOuts, Duration timeout) {
        this.fanOuts = Objects.requireNonNull(fanOuts, "fanOuts must not be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
    }

    @Override
    public void start() {
        final List<RingFanOut<?>> mine = new ArrayList<>();
        for (RingFanOut<?> fanOut : fanOuts.get()) {
            try {
                fanOut.start();
                mine.add(fanOut);
            } catch (IllegalStateException alreadyStarted) {
                log.debug("ringbuf: a RingFanOut bean was started by the application; it stops it too");
            }
        }
        started = List.copyOf(mine);
        running = true;
    }

    /**
     * Waits until the fan-outs this lifecycle started have seen their source complete (their rings are closed and
     * drained by now: the completion follows the last record to every subscriber), then disposes of them.
     */
    @Override
    public void stop() {
        try {
            final long deadline = Timeouts.deadline(timeout);
            for (RingFanOut<?> fanOut : started) {
                final Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                try {
                    fanOut.terminated().block(left);
                } catch (IllegalStateException timedOut) {
                    log.warn("ringbuf: a RingFanOut's ring did not complete within " + timeout
                            + " (ringbuf.shutdown.drain-timeout); it is disposed of, and its subscribers do not "
                            + "complete");
                }
                fanOut.dispose();
            }
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return RingBufferPhases.CONSUMERS;
    }
}
