package dev.ringbuf.core;

import static dev.ringbuf.core.RingDescriptor.CONSUMER_WAITING_OFFSET;
import static dev.ringbuf.core.RingDescriptor.DOORBELL_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivers wakeups from producers in other processes to the consumer process's {@link WakeupListener}: producers
 * cannot call it, so a daemon thread watches the ring file's doorbell word and calls the listener whenever it
 * changes. Producers ring the doorbell under the same DEFAULT/FORCE/NONE rules as an in-process wakeup, and only while
 * a waiter has published itself in the consumer-waiting word, which this watcher does for as long as it runs. Between
 * rings it idles adaptively: spins, yields, then parks with a backoff up to {@link SharedRegion#MAX_PARK_NANOS}.
 */
final class DoorbellWatcher implements Runnable {

    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer region;
    private final WakeupListener listener;
    private final Thread thread;

    private DoorbellWatcher(ByteBuffer region, WakeupListener listener, String name) {
        this.region = region;
        this.listener = listener;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param region the ring file's region
     * @param listener called on the watcher thread for each ring (and once at start)
     * @param name the thread's name
     * @return the running watcher
     */
    static DoorbellWatcher start(ByteBuffer region, WakeupListener listener, String name) {
        final DoorbellWatcher watcher = new DoorbellWatcher(region, listener, name);
        watcher.thread.start();
        return watcher;
    }

    /** Stops the watcher thread (it ends at its next idle step). */
    void stop() {
        thread.interrupt();
    }

    @Override
    public void run() {
        try {
            // Publish the watcher before the first look, then wake once: a commit that raced with the start and
            // saw no flag is covered by that first call. (Volatile RMW: ordered before the doorbell read below.)
            WORD.getAndBitwiseOr(region, CONSUMER_WAITING_OFFSET, SharedRegion.WAITING_WATCHER);
            long seen = (long) WORD.getAcquire(region, DOORBELL_OFFSET);
            listener.onWakeup();
            int idle = 0;
            long park = SharedRegion.MIN_PARK_NANOS;
            while (!Thread.currentThread().isInterrupted()) {
                final long bell = (long) WORD.getAcquire(region, DOORBELL_OFFSET);
                if (bell != seen) {
                    seen = bell;
                    idle = 0;
                    park = SharedRegion.MIN_PARK_NANOS;
                    listener.onWakeup();
                } else if (idle < SharedRegion.IDLE_SPINS) {
                    idle++;
                    Thread.onSpinWait();
                } else if (idle < SharedRegion.IDLE_SPINS + SharedRegion.IDLE_YIELDS) {
                    idle++;
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(this, park);
                    park = Math.min(park << 1, SharedRegion.MAX_PARK_NANOS);
                }
            }
        } finally {
            WORD.getAndBitwiseAnd(region, CONSUMER_WAITING_OFFSET, ~SharedRegion.WAITING_WATCHER);
        }
    }
}
