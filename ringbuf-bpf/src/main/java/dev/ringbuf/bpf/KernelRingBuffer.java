package dev.ringbuf.bpf;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.RingConsumer;
import dev.ringbuf.core.Timeouts;
import dev.ringbuf.core.WakeupListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The consumer of a kernel {@code BPF_MAP_TYPE_RINGBUF}, in plain Java: the map's consumer page mapped read-write,
 * its producer page and twice-mapped data read-only, {@code epoll} on its descriptor for wakeups. Records arrive as
 * zero-copy {@link dev.ringbuf.core.Record} views through the core's {@link RingConsumer} API, in the order the BPF
 * programs reserved them; discarded ones are skipped.
 *
 * <pre>{@code
 * try (KernelRingBuffer ring = KernelRingBuffer.openPinned(Path.of("/sys/fs/bpf/events"))) {
 *     while (running) {
 *         ring.consume(record -> handle(record.getLong(0), record.getInt(8)));
 *         ring.awaitData(Duration.ofMillis(100));
 *     }
 * }
 * }</pre>
 *
 * One consumer at a time in this JVM (a second concurrent call throws {@link IllegalStateException}); the kernel
 * cannot stop another process from consuming the same map, so give each map one consuming process. Needs Linux
 * x86-64, Java 22+ with {@code --enable-native-access}, and the privileges listed in {@code docs/kernel-rings.md}.
 */
public final class KernelRingBuffer implements RingConsumer, AutoCloseable {

    /** The largest data area: its double mapping must be indexable by one {@code ByteBuffer}. */
    public static final int MAX_CAPACITY = 1 << 29;

    private static final VarHandle CONSUMER;

    static {
        try {
            CONSUMER = MethodHandles.lookup().findVarHandle(KernelRingBuffer.class, "consumer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final boolean ownsFd;
    private final BpfMapInfo info;
    private final KernelRingMapping mapping;
    private final KernelConsumerLoop loop;
    private final RingWaiter waiter;
    /** The thread inside a consumer call, or null. CAS: one consumer at a time. */
    @SuppressWarnings("unused") // through CONSUMER
    private volatile Thread consumer;
    private volatile boolean closed;
    private WakeupWatcher watcher;
    private WakeupListener listener;

    private KernelRingBuffer(int fd, boolean ownsFd) {
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.info = Bpf.mapInfo(fd);
        FdKind.requireRingBuffer(fd, info);
        this.mapping = KernelRingMapping.map(fd, info.maxEntries());
        try {
            this.loop = new KernelConsumerLoop(mapping);
            this.waiter = RingWaiter.levelTriggered(fd);
        } catch (RuntimeException | Error e) {
            mapping.close();
            throw e;
        }
    }

    /**
     * Opens the ring buffer behind {@code fd}, which stays the caller's: {@link #close()} does not close it.
     *
     * @param fd a {@code BPF_MAP_TYPE_RINGBUF} map's descriptor
     * @return the consumer
     * @throws BpfException if {@code fd} is not a BPF ring buffer, or mapping or polling it fails
     * @throws UnsupportedOperationException on anything but Linux x86-64
     */
    public static KernelRingBuffer open(int fd) {
        return new KernelRingBuffer(fd, false);
    }

    /**
     * Opens a ring buffer pinned in a BPF file system ({@code BPF_OBJ_GET}); {@link #close()} closes the descriptor.
     *
     * @param path the pinned path, for example {@code /sys/fs/bpf/events}
     * @return the consumer
     * @throws BpfException if nothing is pinned there, it is not a ring buffer, or the kernel refuses
     */
    public static KernelRingBuffer openPinned(Path path) {
        final int fd = Bpf.getPinned(path);
        return openOwned(fd);
    }

    /**
     * Creates a new ring buffer map of {@code size} bytes and opens it; {@link #close()} closes the map's descriptor
     * (the map lives on while a program or a pin holds it). Load programs with {@link #fd()} as their map.
     *
     * @param size the data area: a power of two, 4096 .. {@link #MAX_CAPACITY}
     * @param name the map's name (up to 15 letters, digits, '_' or '.'), or empty
     * @return the consumer
     * @throws BpfException if the kernel refuses (no privilege, no BPF, a kernel before 5.8)
     */
    public static KernelRingBuffer create(int size, String name) {
        return openOwned(Bpf.createRingBuffer(size, name));
    }

    private static KernelRingBuffer openOwned(int fd) {
        try {
            return new KernelRingBuffer(fd, true);
        } catch (RuntimeException | Error e) {
            Native.close(fd);
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ consuming

    @Override
    public int consume(RecordHandler handler) {
        return consume(handler, Integer.MAX_VALUE);
    }

    @Override
    public int consume(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        KernelConsumerLoop.checkLimit(limit);
        acquire();
        try {
            return loop.consume(handler, limit, true);
        } finally {
            release();
        }
    }

    @Override
    public int controlledConsume(ControlledRecordHandler handler, int limit) {
        return controlled(handler, limit, true);
    }

    @Override
    public int read(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        KernelConsumerLoop.checkLimit(limit);
        acquire();
        try {
            return loop.consume(handler, limit, false);
        } finally {
            release();
        }
    }

    @Override
    public int controlledRead(ControlledRecordHandler handler, int limit) {
        return controlled(handler, limit, false);
    }

    private int controlled(ControlledRecordHandler handler, int limit, boolean free) {
        Objects.requireNonNull(handler, "handler must not be null");
        KernelConsumerLoop.checkLimit(limit);
        acquire();
        try {
            return loop.run(handler, limit, free);
        } finally {
            release();
        }
    }

    @Override
    public void releaseTo(long position) {
        acquire();
        try {
            loop.releaseTo(position);
        } finally {
            release();
        }
    }

    @Override
    public void rewindRead() {
        acquire();
        try {
            loop.rewindRead();
        } finally {
            release();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits with {@code epoll} on the map's descriptor. The kernel reports it readable whenever
     * {@code producer_pos > consumer_pos}; while that is true for a reason that is not a ready record (records read
     * and not released, or a busy record at the head), this wait parks in steps of up to a millisecond instead.
     * {@link #close()} ends the wait, and a wait on a closed ring returns at once ({@code false}).
     */
    @Override
    public boolean awaitData(Duration timeout) throws InterruptedException {
        final long deadline = Timeouts.deadline(timeout);
        if (!acquireUnlessClosed()) {
            return false; // closed: nothing more will be read
        }
        try {
            long backoff = 1_000;
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while awaiting data on kernel ring '" + name() + "'");
                }
                if (closed) {
                    return false;
                }
                if (loop.isRecordReady()) {
                    return true;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                if (loop.pollWouldSpin()) {
                    LockSupport.parkNanos(this, Math.min(remaining, backoff));
                    backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(1));
                } else {
                    // At most 100 ms per epoll_wait, so that an interrupt is seen within that.
                    waiter.await((int) Math.min(100, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999)));
                }
            }
        } finally {
            release();
        }
    }

    @Override
    public boolean isRecordReady() {
        return !closed && loop.isRecordReady();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A daemon thread turns the kernel's notifications into calls (edge-triggered {@code epoll}); records a program
     * output with {@code BPF_RB_NO_WAKEUP} call nothing.
     */
    @Override
    public synchronized WakeupListener setWakeupListener(WakeupListener newListener) {
        final WakeupListener previous = listener;
        if (closed) {
            throw new IllegalStateException("kernel ring '" + name() + "' is closed");
        }
        if (watcher != null) {
            watcher.stop();
            watcher = null;
        }
        listener = newListener;
        if (newListener != null) {
            watcher = WakeupWatcher.start(name(), fd, newListener);
        }
        return previous;
    }

    // -------------------------------------------------------------------------------------------------- queries

    /** @return the map's descriptor (pass it to the BPF programs that output into this ring) */
    public int fd() {
        return fd;
    }

    /** @return the map's name and kernel id, as {@code BPF_OBJ_GET_INFO_BY_FD} reported them */
    public BpfMapInfo info() {
        return info;
    }

    /** @return the map's name, or {@code map-<id>} when it has none */
    public String name() {
        return info.name().isEmpty() ? "map-" + info.id() : info.name();
    }

    /** @return the data area's bytes */
    public int capacity() {
        return mapping.capacity;
    }

    /** @return the kernel's producer position (end of the last reservation) */
    public long producerPosition() {
        return mapping.laProducerPosition();
    }

    /** @return the consumer position this consumer gave back to the kernel */
    public long consumerPosition() {
        return mapping.laConsumerPosition();
    }

    /** @return end of the last record read; ahead of {@link #consumerPosition()} only while records are unreleased */
    public long readPosition() {
        return loop.readPosition();
    }

    /** @return {@code producerPosition - consumerPosition}: bytes reserved and not given back, busy ones included */
    public long availableData() {
        final long consumerPosition = mapping.laConsumerPosition(); // first: the producer's only grows
        return mapping.laProducerPosition() - consumerPosition;
    }

    /** @return records delivered to handlers by this consumer */
    public long recordsConsumed() {
        return loop.consumed();
    }

    /** @return discarded records this consumer skipped */
    public long recordsDiscarded() {
        return loop.discarded();
    }

    /**
     * Ends every wait, waits for a consumer call in progress to return, stops the wakeup watcher, unmaps the ring and
     * closes the descriptor if this object opened it. Idempotent. Every later call throws
     * {@link IllegalStateException}; a record view still held throws on read.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (watcher != null) {
                watcher.stop();
                watcher = null;
            }
        }
        waiter.wakeForever();
        final Thread self = Thread.currentThread();
        while (!CONSUMER.compareAndSet(this, null, self)) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1)); // a consumer call is finishing
        }
        waiter.close();
        mapping.close();
        if (ownsFd) {
            Native.close(fd);
        }
    }

    private void acquire() {
        if (!acquireUnlessClosed()) {
            throw new IllegalStateException("kernel ring '" + name() + "' is closed");
        }
    }

    /** Takes the consumer guard; {@code false} if the ring is closed (or closing). */
    private boolean acquireUnlessClosed() {
        final Thread self = Thread.currentThread();
        if (!CONSUMER.compareAndSet(this, null, self)) {
            if (closed) {
                return false;
            }
            throw new IllegalStateException("kernel ring '" + name() + "' already has a consumer: one consumer at a "
                    + "time");
        }
        if (closed) { // set before close() took the guard: give it back
            CONSUMER.setRelease(this, null);
            return false;
        }
        return true;
    }

    private void release() {
        // Release: the next consumer (or close) that takes the guard sees this one's read position and counters.
        CONSUMER.setRelease(this, null);
    }

    @Override
    public String toString() {
        return "KernelRingBuffer[" + name() + ", fd=" + fd + ", capacity=" + capacity() + "]";
    }
}
