package dev.ringbuf.reactor;

import dev.ringbuf.core.Timeouts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;

/**
 * The one subscriber to a {@link RingFanOut}'s source: a window of the last {@code capacity} items, written by the
 * source's {@code onNext} (one writer) and read by every {@link FanOutReader} at its own position, as Disruptor's and
 * Aeron's readers do.
 *
 * <p>Flow control: the window asks the source for items only as far as every <em>tethered</em> reader's buffer
 * allows ({@code position + bufferSize}), so a burst waits in the ring, not in a subscriber's buffer, and a reader
 * with demand never loses an item while the ring has room. A reader is tethered while it has demand, while it has
 * room in its buffer, or while it has been at its bound without demand for less than the {@code untetherAfter}
 * grace (bounded-prefetch operators such as {@code publishOn} have no demand for a moment between their batches).
 * An untethered reader no longer holds anyone: the writer laps it, keeping its newest {@code bufferSize} items and
 * counting the rest as its own drops (or cutting it off, under {@link RingFanOut.LagPolicy#FAIL}).
 *
 * @param <T> the item type
 */
final class FanOutWindow<T> implements CoreSubscriber<T> {

    private static final VarHandle PUBLISHED;
    private static final VarHandle REQUESTED;
    private static final VarHandle REPLENISH_WIP;
    /** What the window asks of the source at a time while no subscriber holds it. */
    private static final int UNHELD_PREFETCH = 256;
    private static final FanOutReader<?>[] NONE = new FanOutReader<?>[0];

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PUBLISHED = lookup.findVarHandle(FanOutWindow.class, "published", long.class);
            REQUESTED = lookup.findVarHandle(FanOutWindow.class, "requested", long.class);
            REPLENISH_WIP = lookup.findVarHandle(FanOutWindow.class, "replenishWip", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Object[] slots;
    final int mask;
    private final long untetherAfterNanos;
    private final RingFanOut.LagPolicy lagPolicy;

    // Padding keeps the writer's position off the cache line of the fields every reader reads.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    /** Items written so far (the next item's sequence); one writer, read by every reader. */
    private volatile long published;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    /** Items asked of the source so far; written by the replenish owner, read by the writer. */
    private volatile long requested;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;
    private volatile int replenishWip;

    private volatile FanOutReader<T>[] readers;
    private volatile Subscription upstream;
    private volatile boolean done;
    private Throwable error; // written before done (volatile), read after it

    @SuppressWarnings("unchecked")
    FanOutWindow(int capacity, Duration untetherAfter, RingFanOut.LagPolicy lagPolicy) {
        this.slots = new Object[capacity];
        this.mask = capacity - 1;
        this.untetherAfterNanos = Timeouts.toNanos(untetherAfter);
        this.lagPolicy = lagPolicy;
        this.readers = (FanOutReader<T>[]) NONE;
    }

    int capacity() {
        return slots.length;
    }

    RingFanOut.LagPolicy lagPolicy() {
        return lagPolicy;
    }

    // ---------------------------------------------------------------------------------------------- the writer

    @Override
    public void onSubscribe(Subscription subscription) {
        if (Operators.validate(upstream, subscription)) {
            upstream = subscription;
            replenish();
        }
    }

    @Override
    public void onNext(T item) {
        final long sequence = (long) PUBLISHED.getOpaque(this); // our own last write: one writer
        final FanOutReader<T>[] current = readers;
        for (FanOutReader<T> reader : current) {
            reader.makeRoom(sequence, slots.length);
        }
        slots[(int) sequence & mask] = item;
        // Release pairs with a reader's acquire of published: the slot's item is visible before the sequence that
        // covers it, so no reader reads a slot that is not written yet.
        PUBLISHED.setRelease(this, sequence + 1);
        for (FanOutReader<T> reader : current) {
            reader.drain();
        }
        if (sequence + 1 >= requested) {
            replenish(); // everything asked for arrived: ask for more if nobody holds the window
        }
    }

    @Override
    public void onError(Throwable failure) {
        error = failure;
        terminate();
    }

    @Override
    public void onComplete() {
        terminate();
    }

    private void terminate() {
        done = true;
        for (FanOutReader<T> reader : readers) {
            reader.drain();
        }
    }

    /** Items written so far; an acquire read that pairs with the writer's release. */
    long published() {
        return (long) PUBLISHED.getAcquire(this);
    }

    @SuppressWarnings("unchecked")
    T item(long sequence) {
        return (T) slots[(int) sequence & mask];
    }

    boolean isDone() {
        return done;
    }

    Throwable error() {
        return error;
    }

    // ---------------------------------------------------------------------------------------------- flow control

    /**
     * Asks the source for as many items as every tethered reader has room for. Any thread may call it (a reader
     * after a pass, a request, a cancel, the writer, the untether timer); {@code replenishWip} serialises the
     * callers, and one that arrives while another runs makes it go round once more.
     */
    void replenish() {
        if ((int) REPLENISH_WIP.getAndAdd(this, 1) != 0) {
            return;
        }
        int missed = 1;
        do {
            final Subscription subscription = upstream;
            if (subscription != null) {
                final long asked = requested;
                // Nobody holding: keep the source flowing, a little at a time, so that a subscriber connecting now
                // finds little demand outstanding beyond its own buffer.
                long limit = published() + Math.min(slots.length, UNHELD_PREFETCH);
                long now = 0;
                for (FanOutReader<T> reader : readers) {
                    final long bound = reader.position() + reader.bufferSize;
                    final boolean atBound = bound <= asked;
                    if (reader.hasDemand() || !atBound) {
                        reader.tether();
                    } else {
                        now = now == 0 ? System.nanoTime() : now;
                        if (!reader.stalledFor(now, untetherAfterNanos, this)) {
                            continue; // untethered: the writer laps it, it holds nobody
                        }
                    }
                    limit = Math.min(limit, bound);
                }
                if (limit > asked) {
                    requested = limit; // volatile: the writer compares against it
                    subscription.request(limit - asked);
                }
            }
            missed = (int) REPLENISH_WIP.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
    }

    /** Re-runs {@link #replenish()} when a reader's grace has run out. */
    void replenishAfter(long nanos) {
        Schedulers.parallel().schedule(this::replenish, nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    // ---------------------------------------------------------------------------------------------- readers

    /** Adds a reader at the current end of the window (it sees the items written from now on). */
    synchronized void add(FanOutReader<T> reader) {
        reader.startAt(published());
        final FanOutReader<T>[] current = readers;
        final FanOutReader<T>[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = reader;
        readers = next;
    }

    @SuppressWarnings("unchecked")
    synchronized void remove(FanOutReader<T> reader) {
        final FanOutReader<T>[] current = readers;
        int index = -1;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == reader) {
                index = i;
            }
        }
        if (index < 0) {
            return;
        }
        final FanOutReader<T>[] next = current.length == 1 ? (FanOutReader<T>[]) NONE
                : new FanOutReader[current.length - 1];
        System.arraycopy(current, 0, next, 0, index);
        System.arraycopy(current, index + 1, next, index, current.length - index - 1);
        readers = next;
    }

    @Override
    public String toString() {
        return "FanOutWindow[published=" + published + ", requested=" + requested + ", capacity=" + slots.length
                + ", readers=" + Arrays.toString(readers) + "]";
    }
}
