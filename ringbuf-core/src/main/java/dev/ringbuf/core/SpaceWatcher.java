package dev.ringbuf.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A ring file's consumer may run in another process, which cannot unpark this process's waiting producers, and Java
 * has no futex on shared memory. So while at least one producer of this process waits ({@link SpaceWaiters}), one
 * daemon thread per ring watches the consumer position, and wakes the queue (exactly, as a local free does) when it
 * moved. One thread, whatever the number of waiters: a hundred idle waiters cost what one does (the figures are in
 * {@code docs/semantics.md}). It parks with a backoff from {@link #MIN_PARK_NANOS} to {@link #MAX_PARK_NANOS}
 * (the wake-up latency bound for a consumer in another process), and ends when nobody waits.
 */
final class SpaceWatcher implements Runnable {

    private static final VarHandle RUNNING;

    static {
        try {
            RUNNING = MethodHandles.lookup().findVarHandle(SpaceWatcher.class, "running", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** First park after the consumer position moved. */
    static final long MIN_PARK_NANOS = 10_000;
    /** The park bound: the worst-case latency of a wake-up from a consumer in another process. */
    static final long MAX_PARK_NANOS = 1_000_000;

    private static final System.Logger LOG = System.getLogger(SpaceWatcher.class.getName());

    private final String name;
    private final RingRegion region;
    private final SpaceWaiters waiters;
    @SuppressWarnings("unused") // read and written through RUNNING
    private volatile boolean running;

    SpaceWatcher(String name, RingRegion region, SpaceWaiters waiters) {
        this.name = name;
        this.region = region;
        this.waiters = waiters;
    }

    /** A waiter joined (after its count was published): start the thread unless it runs. */
    void waiterJoined() {
        if (!(boolean) RUNNING.getVolatile(this) && RUNNING.compareAndSet(this, false, true)) {
            final Thread thread = new Thread(this, "ringbuf-space-" + name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void run() {
        try {
            for (;;) {
                watch();
                // Nobody waits. Stop, then look again: a waiter that joined after our last look but saw us still
                // running did not start a thread (the CAS pairs with its count RMW, then its read of running).
                RUNNING.setVolatile(this, false);
                if (waiters.waiting() == 0 || !RUNNING.compareAndSet(this, false, true)) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            RUNNING.setVolatile(this, false);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, "space watcher of ring '" + name + "' stopped; waiting producers "
                    + "of this process are woken only by a consumer in this process, or at their deadline", e);
        }
    }

    /**
     * Wakes the queue whenever the consumer position (or the closed bit) changes, while anyone waits. A change that
     * a consumer of this process made (it told the waiters itself: {@link SpaceWaiters#localFrees}) does not reset
     * the backoff, so a busy local consumer does not keep the watcher busy too.
     */
    private void watch() {
        long seen = Long.MIN_VALUE;
        long closed = 0;
        long local = waiters.localFrees();
        long park = MIN_PARK_NANOS;
        while (waiters.waiting() != 0) {
            // Acquire: the consumer zeroed the space it frees before releasing its position.
            final long consumer = region.laConsumerPosition();
            final long producerClosed = region.laProducerPosition() & RingLayout.CLOSED_BIT;
            final long localNow = waiters.localFrees();
            if (consumer != seen || producerClosed != closed) {
                seen = consumer;
                closed = producerClosed;
                waiters.wakeFitting(null);
                park = localNow != local ? Math.min(park << 1, MAX_PARK_NANOS) : MIN_PARK_NANOS;
            } else {
                park = Math.min(park << 1, MAX_PARK_NANOS);
            }
            local = localNow;
            LockSupport.parkNanos(this, park);
        }
    }
}
