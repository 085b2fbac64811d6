package dev.ringbuf.core;

import java.util.concurrent.locks.LockSupport;

/**
 * Delivers wakeups from producers in other processes to the consumer process's {@link WakeupListener}: producers
 * cannot call it, so a daemon thread watches the ring file's doorbell word and calls the listener whenever it
 * changes. Producers ring the doorbell under the same DEFAULT/FORCE/NONE rules as an in-process wakeup, and only while
 * a waiter has published itself in the consumer-waiting word, which this watcher does for as long as it runs. Between
 * rings it idles adaptively: spins, yields, then parks with a backoff up to {@link RingFileWaiting#MAX_PARK_NANOS}.
 */
final class DoorbellWatcher implements Runnable {

    private static final System.Logger LOG = System.getLogger(DoorbellWatcher.class.getName());

    private final RingRegion region;
    private final WakeupListener listener;
    private final Thread thread;
    private final RingFileSize size;

    private DoorbellWatcher(RingRegion region, WakeupListener listener, String name, RingFileSize size) {
        this.region = region;
        this.size = size;
        this.listener = listener;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param region the ring file's region words
     * @param listener called on the watcher thread for each ring (and once at start)
     * @param name the thread's name
     * @param size checks the file before the watcher's atomics
     * @return the running watcher
     */
    static DoorbellWatcher start(RingRegion region, WakeupListener listener, String name, RingFileSize size) {
        final DoorbellWatcher watcher = new DoorbellWatcher(region, listener, name, size);
        watcher.thread.start();
        return watcher;
    }

    /** Stops the watcher thread (it ends at its next idle step). */
    void stop() {
        thread.interrupt();
    }

    /**
     * Calls the listener. One that throws is reported and called again at the next ring: the watcher is the only
     * path from other processes' wakeups to this consumer, so it must outlive a faulty listener.
     */
    private void notifyListener() {
        try {
            listener.onWakeup();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "wakeup listener " + listener + " threw; the doorbell watcher "
                    + thread.getName() + " goes on watching", e);
        }
    }

    @Override
    public void run() {
        try {
            // Publish the watcher before the first look, then wake once: a commit that raced with the start and
            // saw no flag is covered by that first call. (Volatile RMW: ordered before the doorbell read below.)
            size.check();
            region.gaOrConsumerWaiting(RingFileWaiting.WAITING_WATCHER);
            long seen = region.laDoorbell();
            notifyListener();
            int idle = 0;
            long park = RingFileWaiting.MIN_PARK_NANOS;
            while (!Thread.currentThread().isInterrupted()) {
                final long bell = region.laDoorbell();
                if (bell != seen) {
                    seen = bell;
                    idle = 0;
                    park = RingFileWaiting.MIN_PARK_NANOS;
                    notifyListener();
                } else if (idle < RingFileWaiting.IDLE_SPINS) {
                    idle++;
                    Thread.onSpinWait();
                } else if (idle < RingFileWaiting.IDLE_SPINS + RingFileWaiting.IDLE_YIELDS) {
                    idle++;
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(this, park);
                    park = Math.min(park << 1, RingFileWaiting.MAX_PARK_NANOS);
                }
            }
        } finally {
            try {
                size.check();
                region.gaAndConsumerWaiting(~RingFileWaiting.WAITING_WATCHER);
            } catch (IllegalStateException truncated) {
                LOG.log(System.Logger.Level.ERROR, "doorbell watcher " + thread.getName() + " stopped", truncated);
            }
        }
    }
}
