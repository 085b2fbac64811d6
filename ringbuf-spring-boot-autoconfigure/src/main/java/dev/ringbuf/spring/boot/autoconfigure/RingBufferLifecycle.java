package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every {@link RingBuffer} bean at shutdown, before the web server stops, and waits (bounded) for their
 * consumers to drain them, so that each ring's {@code Flux} completes and the streams built on it end cleanly.
 * A ring whose consumer has read nothing since the context started is not waited for: nobody reads it.
 *
 * <p>Spring stops the highest phase first ({@link RingBufferPhases} has the whole scheme). The order at shutdown is:
 * <ol>
 *   <li>the application's producers: {@code SmartLifecycle} beans at a phase above {@link #PHASE} (the default
 *       phase, {@link SmartLifecycle#DEFAULT_PHASE}, is), so nothing new is written; and the {@code @Scheduled}
 *       methods, whose scheduling Spring stops as the context starts closing, and whose running tasks this bean
 *       waits for before it closes anything (the starter's {@code awaitProducers});
 *   <li>this bean, at {@link #PHASE}: every ring is closed (later reservations fail and are counted {@code closed};
 *       committed records are still delivered; a handle opened on another process's ring file only detaches),
 *       then it waits until each ring's consumer has read every record reserved before the close, giving up on a
 *       ring whose consumer makes no progress for {@code ringbuf.shutdown.drain-timeout};
 *   <li>the consumers, at {@link RingBufferPhases#CONSUMERS}: {@code RingFanOut} beans and relays stop reading;
 *   <li>the web server's graceful shutdown ({@code SmartLifecycle.DEFAULT_PHASE - 1024}): the ring's Flux has
 *       completed, so the response streams built on it have completed too and the server waits only for their last
 *       bytes to be written;
 *   <li>the rings' {@code close()} again as their beans are destroyed (idempotent).
 * </ol>
 */
public class RingBufferLifecycle implements SmartLifecycle {

    /**
     * This bean's phase: below the default phase of the application's producers, above the web server's graceful
     * shutdown ({@code DEFAULT_PHASE - 1024}).
     */
    public static final int PHASE = RingBufferPhases.RINGS;

    private static final Log log = LogFactory.getLog(RingBufferLifecycle.class);
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private final Supplier<List<RingBuffer>> rings;
    private final Duration drainTimeout;
    private final Runnable awaitProducers;
    private volatile List<Started> started = List.of();
    private volatile boolean running;

    /**
     * The lifecycle of the given rings.
     *
     * @param rings the rings, resolved when the context starts (every {@code RingBuffer} bean)
     * @param drainTimeout how long to wait for a ring's consumer to make progress at shutdown; zero does not wait
     */
    public RingBufferLifecycle(Supplier<List<RingBuffer>> rings, Duration drainTimeout) {
        this(rings, drainTimeout, () -> { });
    }

    /**
     * The lifecycle of the given rings, waiting for producers that stopped asynchronously before closing them.
     *
     * @param rings the rings, resolved when the context starts (every {@code RingBuffer} bean)
     * @param drainTimeout how long to wait for a ring's consumer to make progress at shutdown; zero does not wait
     * @param awaitProducers run first at shutdown: returns once the producers that were told to stop (the
     *     application's {@code @Scheduled} methods) have finished their running writes
     */
    public RingBufferLifecycle(Supplier<List<RingBuffer>> rings, Duration drainTimeout, Runnable awaitProducers) {
        this.awaitProducers = Objects.requireNonNull(awaitProducers, "awaitProducers must not be null");
        this.rings = Objects.requireNonNull(rings, "rings must not be null");
        Objects.requireNonNull(drainTimeout, "drainTimeout must not be null");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("ringbuf.shutdown.drain-timeout " + drainTimeout
                    + " must not be negative");
        }
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        final List<Started> rings = new ArrayList<>();
        for (RingBuffer ring : this.rings.get()) {
            rings.add(new Started(ring, ring.readPosition()));
        }
        started = List.copyOf(rings);
        running = true;
    }

    /** Closes the rings, then waits until they are drained or their consumers stop making progress. */
    @Override
    public void stop() {
        try {
            awaitProducers.run();
            for (Started ring : started) {
                ring.ring().close();
            }
            final List<RingBuffer> abandoned = awaitDrained(started);
            if (!abandoned.isEmpty()) {
                log.warn("ringbuf: " + abandoned.stream().map(ring -> "'" + ring.name() + "' ("
                        + ring.availableData() + " bytes left)").collect(Collectors.joining(", "))
                        + " not drained at shutdown: no consumer read it since startup, or its consumer made no "
                        + "progress for " + drainTimeout + " (ringbuf.shutdown.drain-timeout)");
            }
        } finally {
            running = false;
        }
    }

    private List<RingBuffer> awaitDrained(List<Started> closed) {
        final List<RingBuffer> abandoned = new ArrayList<>();
        final List<Progress> pending = new ArrayList<>();
        for (Started ring : closed) {
            final Progress progress = new Progress(ring.ring(), ring.ring().producerPosition(), System.nanoTime());
            if (progress.drained()) {
                continue;
            }
            // A ring whose consumer has read nothing since the context started has no consumer to wait for.
            if (ring.ring().readPosition() == ring.readPosition()) {
                abandoned.add(ring.ring());
            } else {
                pending.add(progress);
            }
        }
        while (!pending.isEmpty()) {
            final long now = System.nanoTime();
            pending.removeIf(progress -> {
                if (progress.drained()) {
                    return true;
                }
                if (progress.advanced(now)) {
                    return false;
                }
                if (now - progress.since >= drainTimeout.toNanos()) {
                    abandoned.add(progress.ring);
                    return true;
                }
                return false;
            });
            if (!pending.isEmpty()) {
                LockSupport.parkNanos(POLL_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    pending.forEach(progress -> abandoned.add(progress.ring));
                    break;
                }
            }
        }
        return abandoned;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** A ring and its read position when the context started. */
    private record Started(RingBuffer ring, long readPosition) {
    }

    /**
     * A closed ring's drain: what there was to read when it was closed, and its read position when it last moved
     * (used on the stopping thread only).
     */
    private static final class Progress {

        final RingBuffer ring;
        final long target;
        long readPosition;
        long since;

        Progress(RingBuffer ring, long target, long now) {
            this.ring = ring;
            this.target = target;
            this.readPosition = ring.readPosition();
            this.since = now;
        }

        /**
         * Whether the consumer has read every record reserved before the close. A handle that only detached from a
         * ring file (another process owns its stream) never sees the stream end, and other processes may go on
         * writing, so the wait is for what was there at the close, not for an empty ring.
         */
        boolean drained() {
            return ring.isClosedAndDrained() || ring.readPosition() >= target;
        }

        boolean advanced(long now) {
            final long position = ring.readPosition();
            if (position == readPosition) {
                return false;
            }
            readPosition = position;
            since = now;
            return true;
        }
    }
}
