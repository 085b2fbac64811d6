package dev.ringbuf.bpf;

import dev.ringbuf.core.WakeupListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A daemon thread that turns the kernel's wakeups of one ring buffer into {@link WakeupListener} calls: it waits,
 * edge-triggered, on the map's descriptor, so each notification the kernel sends (a submit that found the consumer
 * caught up, or a forced one) is one call. The kernel-side twin of the core's doorbell watcher for ring files.
 */
final class WakeupWatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(WakeupWatcher.class.getName());

    private final String ringName;
    private final RingWaiter waiter;
    private final WakeupListener listener;
    private final Thread thread;
    private volatile boolean stopped;
    /** Set when the listener itself stopped the watcher: then the thread closes the epoll set on its way out. */
    private volatile boolean closeOnExit;

    private WakeupWatcher(String ringName, int mapFd, WakeupListener listener) {
        this.ringName = ringName;
        this.waiter = RingWaiter.edgeTriggered(mapFd);
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("ringbuf-bpf-wakeups-" + ringName).unstarted(this);
    }

    static WakeupWatcher start(String ringName, int mapFd, WakeupListener listener) {
        final WakeupWatcher watcher = new WakeupWatcher(ringName, mapFd, listener);
        watcher.thread.start();
        return watcher;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                if (waiter.await(1000) && !stopped) {
                    listener.onWakeup();
                }
            }
        } catch (RuntimeException | Error e) {
            // Loud: the listener (a drain's scheduler) stops hearing the kernel; its poll timer is all that is left.
            LOG.log(Level.SEVERE, "kernel ring '" + ringName + "': the wakeup watcher stopped; wakeups are no "
                    + "longer delivered to the listener", e);
        } finally {
            if (closeOnExit) {
                waiter.close();
            }
        }
    }

    /**
     * Stops the thread and closes its epoll set. Called once. From the listener itself (on this thread), the
     * thread closes the set when the listener returns.
     */
    void stop() {
        stopped = true;
        waiter.wakeForever();
        if (Thread.currentThread() == thread) {
            closeOnExit = true;
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(); // the thread waits at most one epoll round, woken by the signal above
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        waiter.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
