package dev.ringbuf.samples.event;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Producer threads that write synthetic {@link Event}s into one ring, the way real emitters do.
 *
 * <p>Producers with an even index commit each event with {@link Wakeup#DEFAULT} (the ring wakes the consumer only
 * when it had caught up). Producers with an odd index write batches: every event of a batch with
 * {@link Wakeup#NONE} and the last one with {@link Wakeup#FORCE}, so the consumer is woken once per batch. When
 * the ring is full a reservation fails, the ring counts the drop ("drop newest"), and the producer carries on:
 * an emitter never blocks on its consumer.
 *
 * <pre>{@code
 * try (SyntheticProducers producers = new SyntheticProducers(ring, 4, 100_000, 16).start()) {
 *     ...                                   // consume
 * }                                         // close() stops and joins the threads
 * }</pre>
 */
public final class SyntheticProducers implements AutoCloseable {

    /** The event types producers pick from. */
    private static final String[] TYPES = {"page.view", "click", "search", "cart.add", "order.created", "login"};

    /** How long a rate-limited producer parks between two looks at the clock. */
    private static final long PACING_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Opaque access to the per-thread counters: atomic longs, no ordering needed (they are only statistics). */
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);

    private final RingBuffer ring;
    private final int threads;
    private final long eventsPerSecond;
    private final int batchSize;
    private final List<Thread> workers = new ArrayList<>();
    private final long[] written;
    private volatile boolean running;

    /**
     * Producers, not started yet.
     *
     * @param ring the ring to write into
     * @param threads how many producer threads, at least 1
     * @param eventsPerSecond the total target rate over all threads, or 0 for as fast as they can
     * @param batchSize events per batch for the batching producers, at least 1 (1: every commit wakes)
     * @throws IllegalArgumentException if a number breaks its rule
     */
    public SyntheticProducers(RingBuffer ring, int threads, long eventsPerSecond, int batchSize) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (eventsPerSecond < 0) {
            throw new IllegalArgumentException("eventsPerSecond must be 0 (unlimited) or positive, was " + eventsPerSecond);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.ring = ring;
        this.threads = threads;
        this.eventsPerSecond = eventsPerSecond;
        this.batchSize = batchSize;
        // One slot per thread, 8 longs apart, so that the counters do not share a cache line.
        this.written = new long[threads * 8];
    }

    /**
     * Starts the threads (daemon threads named {@code producer-<i>}).
     *
     * @return this
     * @throws IllegalStateException if already started
     */
    public synchronized SyntheticProducers start() {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("producers already started");
        }
        running = true;
        for (int i = 0; i < threads; i++) {
            final int index = i;
            final Thread worker = new Thread(() -> produce(index), "producer-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        return this;
    }

    /**
     * Events written so far (committed into the ring), over all threads; a momentary value.
     *
     * @return the count
     */
    public long written() {
        long sum = 0;
        for (int i = 0; i < threads; i++) {
            // Opaque: untorn and eventually visible; a slightly stale value only delays the figure.
            sum += (long) COUNTER.getOpaque(written, i * 8);
        }
        return sum;
    }

    /**
     * Stops the threads and waits for them, at most {@code timeout} in all.
     *
     * @param timeout the longest wait
     * @return {@code true} if every thread ended
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean stop(Duration timeout) throws InterruptedException {
        running = false;
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread worker : workers) {
            final long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(worker, left);
            }
        }
        return workers.stream().noneMatch(Thread::isAlive);
    }

    /** Stops the threads and waits for them (at most 5 s). */
    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void produce(int index) {
        final boolean batching = (index & 1) == 1 && batchSize > 1;
        final SplittableRandom random = new SplittableRandom(index * 0x9E3779B97F4A7C15L);
        final byte[][] types = new byte[TYPES.length][];
        for (int t = 0; t < TYPES.length; t++) {
            types[t] = EventCodec.typeBytes(TYPES[t]);
        }
        // Each thread's share of the rate; the remainder goes to thread 0.
        final long share = eventsPerSecond / threads + (index == 0 ? eventsPerSecond % threads : 0);
        final long start = System.nanoTime();
        long sequence = 0;
        while (running) {
            long due;
            if (eventsPerSecond == 0) {
                due = sequence + batchSize;
            } else {
                // Events due by now at this thread's rate: pacing by the clock, not by sleeping per event.
                due = (long) ((System.nanoTime() - start) / 1e9 * share);
                if (due <= sequence) {
                    LockSupport.parkNanos(PACING_PARK_NANOS);
                    continue;
                }
            }
            while (sequence < due && running) {
                final long end = batching ? Math.min(due, sequence + batchSize) : sequence + 1;
                for (; sequence < end; sequence++) {
                    final Wakeup wakeup = !batching ? Wakeup.DEFAULT : sequence == end - 1 ? Wakeup.FORCE : Wakeup.NONE;
                    final int type = random.nextInt(types.length);
                    final long micros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
                    if (EventCodec.write(ring, index, sequence, micros, types[type], random.nextInt(1000), wakeup)) {
                        // Single writer per slot: opaque read-increment-write, no atomic RMW needed.
                        COUNTER.setOpaque(written, index * 8, (long) COUNTER.getOpaque(written, index * 8) + 1);
                    } else if (ring.isClosed()) {
                        return;
                    }
                }
            }
        }
    }
}
