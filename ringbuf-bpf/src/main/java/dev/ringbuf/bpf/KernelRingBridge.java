package dev.ringbuf.bpf;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.SpaceWaiter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves a kernel ring's records into an in-process {@link RingBuffer}, one copy each, so that everything built on a
 * {@code RingBuffer} takes kernel events: {@code RingBufferFlux}, {@code RingGroup}, the metrics, the feed server.
 * Backpressure carries through: when the target ring is full the bridge stops consuming the kernel ring (the record
 * stays there, nothing is counted), so with no demand downstream the kernel ring fills and the kernel drops the
 * newest records, exactly as it does for libbpf's consumer.
 *
 * <pre>{@code
 * RingBuffer events = RingBuffer.builder().name("kernel-events").capacity(1 << 20).build();
 * try (KernelRingBuffer kernel = KernelRingBuffer.openPinned(Path.of("/sys/fs/bpf/events"));
 *         KernelRingBridge bridge = KernelRingBridge.start(kernel, events)) {
 *     RingBufferFlux.records(events).subscribe(record -> handle(record));
 *     ...
 * }
 * }</pre>
 *
 * One daemon thread consumes the kernel ring ({@code awaitData} on its epoll) and waits for room in the target as
 * the core's space-wait queue wakes it (a {@link SpaceWaiter}, first come first served with the target's other
 * waiting producers), with a 10 ms park bound to notice a stop. A record larger than the target's {@code maxRecordSize()} is dropped and
 * counted there as {@code oversize}. The bridge stops when closed, when the target ring is closed, or when it fails;
 * each stop is logged with its cause ({@link #failure()}).
 */
public final class KernelRingBridge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KernelRingBridge.class.getName());
    private static final int BATCH = 256;
    private static final long FULL_BACKSTOP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final KernelRingBuffer source;
    private final RingBuffer target;
    private final ByteBuffer targetBuffer;
    private final Thread thread;
    private final Copier copier = new Copier();
    /** This bridge's place in the target's queue of producers waiting for space (the core's one mechanism). */
    private final SpaceWaiter waiter;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private volatile long moved;

    private KernelRingBridge(KernelRingBuffer source, RingBuffer target) {
        this.source = source;
        this.target = target;
        this.targetBuffer = target.buffer();
        this.thread = Thread.ofPlatform().daemon().name("ringbuf-bpf-bridge-" + source.name()).unstarted(this::run);
        this.waiter = target.spaceWaiter(() -> LockSupport.unpark(thread));
    }

    /**
     * Starts moving {@code source}'s records into {@code target}.
     *
     * @param source the kernel ring; the bridge is its consumer from now on
     * @param target the in-process ring; the bridge waits for its space in the ring's queue of waiting producers
     * @return the running bridge
     */
    public static KernelRingBridge start(KernelRingBuffer source, RingBuffer target) {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(target, "target must not be null");
        final KernelRingBridge bridge = new KernelRingBridge(source, target);
        bridge.thread.start();
        return bridge;
    }

    private void run() {
        try {
            while (!stopped) {
                if (target.isClosed()) { // also when nothing comes: an oversize record would not say it
                    copier.outcome = Copier.TARGET_CLOSED;
                    logClosedTarget();
                    return;
                }
                copier.outcome = Copier.MOVED;
                final int n = source.controlledConsume(copier, BATCH);
                moved = moved + n;
                if (copier.outcome == Copier.TARGET_FULL) {
                    LockSupport.parkNanos(this, FULL_BACKSTOP_NANOS); // until the target's consumer frees room
                } else if (copier.outcome == Copier.TARGET_CLOSED) {
                    logClosedTarget();
                    return;
                } else if (n == 0) {
                    source.awaitData(Duration.ofMillis(100)); // epoll on the kernel ring; 100 ms to see a close
                }
            }
        } catch (InterruptedException e) {
            failure = e;
            LOG.log(Level.WARNING, "kernel ring bridge '" + source.name() + "' interrupted: stopped", e);
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.log(Level.SEVERE, "kernel ring bridge '" + source.name() + "' failed and stopped; records left stay "
                    + "in the kernel ring", e);
        } finally {
            waiter.cancel(); // leaves the target's queue of waiting producers, passing its turn on
        }
    }

    private void logClosedTarget() {
        LOG.info(() -> "kernel ring bridge '" + source.name() + "' stopped: the target ring '" + target.name()
                + "' is closed; records left stay in the kernel ring");
    }

    /** @return records moved into the target so far */
    public long recordsMoved() {
        return moved;
    }

    /** @return whether the bridge thread still runs */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** @return what stopped the bridge, or {@code null} (running, or stopped by close or a closed target) */
    public Throwable failure() {
        return failure;
    }

    /** Stops the bridge and waits for its thread (it notices within 100 ms). Closes neither ring. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies one record into the target, or says why it could not. Bridge thread only. */
    private final class Copier implements ControlledRecordHandler {
        static final int MOVED = 0;
        static final int TARGET_FULL = 1;
        static final int TARGET_CLOSED = 2;

        int outcome;
        private byte[] scratch = new byte[256];

        @Override
        public Action onRecord(Record record) {
            final int length = record.length();
            final int offset;
            try {
                // Once queued for space, claim in turn through the waiter; the first try goes straight to the ring
                // (which also counts an oversize record), and a full ring puts the bridge in the queue.
                final int first = waiter.isWaiting() ? RingBuffer.CLAIM_FULL : target.tryClaim(length);
                offset = first == RingBuffer.CLAIM_FULL ? waiter.tryClaim(length) : first;
            } catch (IllegalArgumentException oversize) {
                return Action.CONTINUE; // counted by the target as an oversize drop; consumed here
            }
            if (offset < 0) {
                outcome = offset == RingBuffer.CLAIM_CLOSED ? TARGET_CLOSED : TARGET_FULL;
                return Action.ABORT; // stays in the kernel ring; nothing lost, nothing counted
            }
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            try {
                record.getBytes(0, scratch, 0, length);
                targetBuffer.put(offset, scratch, 0, length);
            } catch (RuntimeException e) {
                target.discard(offset); // the space goes back; the bridge stops and says why
                throw e;
            }
            target.commit(offset);
            return Action.CONTINUE;
        }
    }
}
