package dev.ringbuf.core;

import java.lang.ref.WeakReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A ring file consumer's lease: while this process holds the consumer guard, a daemon thread advances the lease word
 * in the file every quarter of the stall timeout, whatever the consumer's handler is doing. A contender that finds
 * the guard held by a running process whose mappings it cannot inspect ({@link ConsumerToken#UNKNOWN}) takes it over
 * only if that lease did not move for a whole stall timeout and the process is not stopped: a consumer process
 * always renews, pid 1 or any other process that never opened the ring never does. A stopped consumer (SIGSTOP) is
 * waited for, because it may be stopped halfway through zeroing, and taking over then would let it zero space that
 * was reused when it resumes.
 */
final class ConsumerLease {

    /** One daemon thread for the leases of every ring file in this process. */
    private static final ScheduledExecutorService RENEWER = Executors.newSingleThreadScheduledExecutor(task -> {
        final Thread thread = new Thread(task, "ringbuf-consumer-lease");
        thread.setDaemon(true);
        return thread;
    });

    private final RingRegion region;
    private final long token;
    private final long periodNanos;
    private volatile ScheduledFuture<?> renewal;

    /** A contender's view of a foreign holder: its token, its lease value and since when it has not moved. */
    private long watchedToken;
    private long watchedBeat;
    private long watchedSince;

    ConsumerLease(RingRegion region, long token, long stallTimeoutNanos) {
        this.region = region;
        this.token = token;
        this.periodNanos = Math.max(stallTimeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** This process took the guard: renew from now on (idempotent; a volatile read once started). */
    void start() {
        if (renewal == null) {
            synchronized (this) {
                if (renewal == null) {
                    renewal = RENEWER.scheduleAtFixedRate(new Renewal(this), 0, periodNanos, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    /** This handle is closed: stop renewing. */
    synchronized void stop() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }

    /**
     * The periodic task holds its lease weakly: a handle that is dropped without {@code close()} is collected (and
     * its mapping released) instead of being kept alive by the renewer, and the task then ends itself.
     */
    private static final class Renewal implements Runnable {
        private static final RuntimeException GONE = new IllegalStateException("ring file handle collected") {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        };
        private final WeakReference<ConsumerLease> lease;

        Renewal(ConsumerLease lease) {
            this.lease = new WeakReference<>(lease);
        }

        @Override
        public void run() {
            final ConsumerLease current = lease.get();
            if (current == null) {
                throw GONE; // a periodic task that throws is not run again (ScheduledExecutorService)
            }
            current.renew();
        }
    }

    private void renew() {
        // Volatile read of the guard: renew only while this process holds it (one writer of the lease at a time).
        if (region.lvConsumerGuard() == token) {
            region.srConsumerHeartbeat(region.laConsumerHeartbeat() + 1);
        }
    }

    /**
     * Whether the holder {@code owner}, a running process we cannot inspect, has let its lease lapse: its lease word
     * has not moved for {@code stallTimeoutNanos} across this contender's attempts, and it is not stopped.
     */
    synchronized boolean lapsed(long owner, long stallTimeoutNanos) {
        final long beat = region.laConsumerHeartbeat();
        final long now = System.nanoTime();
        if (owner != watchedToken || beat != watchedBeat) {
            watchedToken = owner;
            watchedBeat = beat;
            watchedSince = now;
            return false;
        }
        return now - watchedSince >= stallTimeoutNanos && !ConsumerToken.isStopped(owner >>> 32);
    }
}
