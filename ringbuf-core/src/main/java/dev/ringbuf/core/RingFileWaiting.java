package dev.ringbuf.core;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting and wakeups across processes for a ring file: a producer in another process cannot unpark the consumer,
 * so the consumer idles (spin, yield, park with a backoff) and producers ring a doorbell word, only while a
 * consumer-side waiter has published itself in the consumer-waiting word. A {@link DoorbellWatcher} thread turns the
 * doorbell into calls of this process's {@link WakeupListener}.
 */
final class RingFileWaiting {

    /** Bit of the consumer-waiting word: a thread is in awaitData. */
    static final long WAITING_AWAIT = 1;
    /** Bit of the consumer-waiting word: a wakeup watcher is running. */
    static final long WAITING_WATCHER = 2;

    /** Idle strategy: busy spins before yielding. */
    static final int IDLE_SPINS = 200;
    /** Idle strategy: yields before parking. */
    static final int IDLE_YIELDS = 50;
    /** Idle strategy: first park. */
    static final long MIN_PARK_NANOS = 1_000;
    /** Idle strategy: the park bound, and so the worst-case wakeup latency of an idle consumer. */
    static final long MAX_PARK_NANOS = 1_000_000;

    private final String name;
    private final Path path;
    private final RingRegion region;
    private final long stallTimeoutNanos;
    private final RingFileSize size;
    private final Object watcherLock = new Object();
    private DoorbellWatcher watcher;

    RingFileWaiting(String name, Path path, RingRegion region, long stallTimeoutNanos, RingFileSize size) {
        this.size = size;
        this.name = name;
        this.path = path;
        this.region = region;
        this.stallTimeoutNanos = stallTimeoutNanos;
    }

    /** A producer decided to wake the consumer: ring the doorbell if a consumer-side waiter is listening. */
    void ringDoorbell() {
        // Opaque: the caller's full fence already ordered our header before this read (the Dekker pair with the
        // waiter's flag RMW and header re-read in await).
        if (region.loConsumerWaiting() != 0) {
            size.check();
            region.gaaDoorbell();
        }
    }

    /** The stream ended: ring unconditionally, so that a watcher sees the end. */
    void ringDoorbellAlways() {
        size.check();
        region.gaaDoorbell();
    }

    /**
     * awaitData for a ring file. Spins, then yields, then parks with a backoff doubling from 1 µs to
     * {@link #MAX_PARK_NANOS}; the bound is the wakeup latency of an idle consumer. Also returns when the record at
     * the read position has been blocked for the stall timeout, so that the next consume abandons it. Guard held.
     */
    boolean await(ConsumerPath consumer, long deadline) throws InterruptedException {
        int idle = 0;
        long park = MIN_PARK_NANOS;
        boolean published = false;
        try {
            for (;;) {
                if (consumer.isRecordReady() || consumer.blockedNanos() >= stallTimeoutNanos) {
                    return true;
                }
                if (consumer.isEndedAndRead()) {
                    return false;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                if (idle < IDLE_SPINS) {
                    idle++;
                    Thread.onSpinWait();
                } else if (idle < IDLE_SPINS + IDLE_YIELDS) {
                    idle++;
                    Thread.yield();
                } else {
                    if (!published) {
                        // Publish "a consumer waits" (a volatile RMW, a full fence), then look again: the other half
                        // of the producers' header CAS, fence, flag read. Producers ring only while the flag is up.
                        size.check();
                        region.gaOrConsumerWaiting(WAITING_AWAIT);
                        published = true;
                        continue;
                    }
                    LockSupport.parkNanos(this, Math.min(park, remaining));
                    park = Math.min(park << 1, MAX_PARK_NANOS);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for records of ring file " + path);
                    }
                }
            }
        } finally {
            if (published) {
                size.check();
                region.gaAndConsumerWaiting(~WAITING_AWAIT);
            }
        }
    }

    /** The consumer process's wakeup listener changed: (re)starts or stops the {@link DoorbellWatcher}. */
    void listenerChanged(WakeupListener listener) {
        synchronized (watcherLock) {
            if (watcher != null) {
                watcher.stop();
                watcher = null;
            }
            if (listener != null) {
                watcher = DoorbellWatcher.start(region, listener, "ringbuf-doorbell-" + name, size);
            }
        }
    }
}
