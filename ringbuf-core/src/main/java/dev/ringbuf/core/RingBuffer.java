package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A multi-producer, single-consumer ring of variable-length byte records in one off-heap region, with the
 * semantics of the Linux kernel's BPF ring buffer ({@code BPF_MAP_TYPE_RINGBUF}).
 *
 * <p>Producers on any number of threads reserve space, write the record in place and commit or discard it (zero
 * copy), or {@link #output(byte[]) output} a copy. One consumer at a time {@link #consume(RecordHandler) consumes}
 * the committed records, strictly in reservation order: it stops at the first record that is still busy, even when
 * later ones are committed (head-of-line blocking is the price of that order), and skips discarded ones.
 *
 * <pre>{@code
 * RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 20).build();
 *
 * // producers, any thread
 * try (Reservation r = ring.reserve(12)) {        // null when the ring is full or closed: that drop is counted
 *     if (r != null) {
 *         r.putLong(0, seq).putInt(8, pid);
 *         r.commit();                             // or commit(Wakeup.FORCE), or discard()
 *     }
 * }
 * boolean ok = ring.output(bytes);                // reserve + copy + commit
 *
 * // the consumer, one thread at a time
 * while (running) {
 *     ring.consume(record -> handle(record.getLong(0), record.getInt(8)));
 *     ring.awaitData(Duration.ofMillis(100));     // parks until a producer's commit wakes it
 * }
 * }</pre>
 *
 * <h2>Accounting</h2> Positions are ever-increasing byte counters; a record of payload {@code S} occupies
 * {@code rec(S) = roundUp(S + 8, 8)} bytes ({@link RingLayout}). A reservation fails, and is counted as dropped with
 * reason {@link DropReason#FULL full}, when it would put the producer {@code capacity - 1} bytes or more ahead of the
 * consumer, so the ring holds at most {@code capacity - 8} bytes of records. Every record is contiguous in memory,
 * even one that starts near the end of the ring: it continues into a tail extension of the region.
 *
 * <h2>Wakeups</h2> See {@link Wakeup}: DEFAULT wakes the consumer only if it had caught up to the record just
 * committed, NONE never, FORCE always. A wakeup calls the {@link #setWakeupListener(WakeupListener) listener} and
 * unparks a consumer blocked in {@link #awaitData(Duration)}. No wakeup is lost.
 *
 * <h2>Memory modes</h2> In process memory ({@link RingBufferBuilder#build()}) or in a ring file shared by processes
 * ({@link RingBufferBuilder#create()}, {@link RingBufferBuilder#open()}), chosen once, when the ring is built; the
 * protocol and this API are the same.
 *
 * <h2>Threads</h2> Producer methods are thread-safe and lock-free: one CAS on the producer position per
 * reservation (in {@link RingBufferBuilder#overwrite(boolean) overwrite mode}: a short claim lock), no allocation
 * on {@link #claim(int)}/{@link #commit(int)}. Consumer methods ({@code consume},
 * {@code read}, {@code releaseTo}, {@code awaitData}) may be called from any thread but by one at a time; a second
 * concurrent consumer gets {@link IllegalStateException}. Queries are thread-safe and return momentary values.
 */
public final class RingBuffer extends RingQueries implements RingProducer, RingConsumer, AutoCloseable {

    /** What {@link #claim(int)} returns when the ring is full or closed. */
    public static final int CLAIM_FAILED = -1;
    /** What {@link #tryClaim(int)} returns when the ring is full (the same value as {@link #CLAIM_FAILED}). */
    public static final int CLAIM_FULL = -1;
    /** What {@link #tryClaim(int)} returns when the stream ended or this handle was closed. */
    public static final int CLAIM_CLOSED = -2;

    private final WakeupSignal signal;
    private final ProducerPath producers;
    private final WaitingProducers waiting;
    /** Each producer thread's reusable reservations, so that {@code reserve} allocates nothing. */
    private final ThreadPools reservations = new ThreadPools();
    private final RingAttachments attachments = new RingAttachments();

    RingBuffer(String name, RingRegion region, int capacity, int maxRecordSize, RingMode mode, WakeupSignal signal) {
        this(name, region, capacity, maxRecordSize, mode, signal, false);
    }

    /** With {@code overwrite}, the overwrite-mode paths: the variant is chosen here, once, never tested after. */
    RingBuffer(String name, RingRegion region, int capacity, int maxRecordSize, RingMode mode, WakeupSignal signal,
            boolean overwrite) {
        super(name, region, capacity, maxRecordSize, mode, overwrite, new RingCounters(), overwrite
                ? new OverwriteConsumerPath(name, region, mode, capacity)
                : new ConsumerPath(name, region, mode, capacity));
        this.signal = signal;
        this.producers = overwrite
                ? new OverwriteProducerPath(name, region, mode, counters, signal, consumer.spaceWaiters, capacity,
                        maxRecordSize)
                : new ProducerPath(name, region, mode, counters, signal, consumer.spaceWaiters, capacity,
                        maxRecordSize);
        this.waiting = new WaitingProducers(name, producers, consumer.spaceWaiters, counters);
    }

    /**
     * A builder for a ring: {@code RingBuffer.builder().name("events").capacity(1 << 20).build()}.
     *
     * @return a new builder
     */
    public static RingBufferBuilder builder() {
        return new RingBufferBuilder();
    }

    /**
     * An in-process ring of {@code capacity} bytes with the default name and {@code maxRecordSize}.
     *
     * @param capacity a power of two from 64 to 2^30
     * @return the new ring
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     */
    public static RingBuffer allocate(int capacity) {
        return builder().capacity(capacity).build();
    }

    // ------------------------------------------------------------------------------------------------ producers

    @Override
    public @Nullable Reservation reserve(int size) {
        final long position = producers.claim(size);
        if (position < 0) {
            return null;
        }
        // A reusable object of this thread's (ReservationPool): the README path allocates nothing.
        return reservations.take().arm(producers, region.data, position, producers.payloadOffset(position), size);
    }

    @Override
    public @Nullable Reservation reserve(int size, Duration timeout) throws InterruptedException {
        final long position = waiting.claim(size, timeout);
        if (position < 0) {
            return null;
        }
        return reservations.take().arm(producers, region.data, position, producers.payloadOffset(position), size);
    }

    @Override
    public int claim(int size) {
        final long position = producers.claim(size);
        return position < 0 ? CLAIM_FAILED : producers.payloadOffset(position);
    }

    @Override
    public int tryClaim(int size) {
        final long position = producers.claim(size, false);
        return position >= 0 ? producers.payloadOffset(position)
                : position == ProducerPath.CLOSED ? CLAIM_CLOSED : CLAIM_FULL;
    }

    @Override
    public void countDrop(DropReason reason) {
        producers.countDrop(reason);
    }

    @Override
    public SpaceWaiter spaceWaiter(Runnable onSpace) {
        return new SpaceWaiter(consumer.spaceWaiters, producers, onSpace);
    }

    @Override
    public void commit(int offset) {
        producers.finish(offset, STATE_COMMITTED, Wakeup.DEFAULT);
    }

    @Override
    public void commit(int offset, Wakeup wakeup) {
        producers.finish(offset, STATE_COMMITTED, wakeup);
    }

    @Override
    public void discard(int offset) {
        producers.finish(offset, STATE_DISCARDED, Wakeup.DEFAULT);
    }

    @Override
    public void discard(int offset, Wakeup wakeup) {
        producers.finish(offset, STATE_DISCARDED, wakeup);
    }

    @Override
    public boolean output(byte[] src) {
        Objects.requireNonNull(src, "src must not be null");
        return producers.output(src, 0, src.length, Wakeup.DEFAULT);
    }

    @Override
    public boolean output(byte[] src, Wakeup wakeup) {
        Objects.requireNonNull(src, "src must not be null");
        return producers.output(src, 0, src.length, wakeup);
    }

    @Override
    public boolean output(byte[] src, int srcOffset, int length, Wakeup wakeup) {
        return producers.output(src, srcOffset, length, wakeup);
    }

    @Override
    public boolean output(byte[] src, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(src, "src must not be null");
        final long position = waiting.claim(src.length, timeout);
        if (position < 0) {
            return false;
        }
        producers.commitCopy(position, src, 0, src.length, Wakeup.DEFAULT);
        return true;
    }

    @Override
    public boolean output(ByteBuffer src) {
        return producers.output(src, Wakeup.DEFAULT);
    }

    @Override
    public ByteBuffer buffer() {
        return region.data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------------------------------------- consumer

    @Override
    public int consume(RecordHandler handler) {
        return consumer.consume(handler, Integer.MAX_VALUE, true);
    }

    @Override
    public int consume(RecordHandler handler, int limit) {
        return consumer.consume(handler, limit, true);
    }

    @Override
    public int controlledConsume(ControlledRecordHandler handler, int limit) {
        return consumer.consumeControlled(handler, limit, true);
    }

    @Override
    public int read(RecordHandler handler, int limit) {
        return consumer.consume(handler, limit, false);
    }

    @Override
    public int controlledRead(ControlledRecordHandler handler, int limit) {
        return consumer.consumeControlled(handler, limit, false);
    }

    @Override
    public void releaseTo(long position) {
        consumer.releaseTo(position);
    }

    @Override
    public void rewindRead() {
        consumer.rewindRead();
    }

    @Override
    public boolean awaitData(Duration timeout) throws InterruptedException {
        final long deadline = Timeouts.deadline(timeout);
        mode.acquireConsumer(consumer);
        try {
            return mode.awaitData(consumer, this, deadline);
        } finally {
            mode.releaseConsumer();
        }
    }

    @Override
    public boolean isRecordReady() {
        return consumer.isRecordReady();
    }

    @Override
    public @Nullable WakeupListener setWakeupListener(@Nullable WakeupListener listener) {
        final WakeupListener previous = signal.setListener(listener);
        mode.listenerChanged(listener);
        return previous;
    }

    /** The data area and mask, for record views made outside this package ({@link Record#Record(RingBuffer, long)}). */
    RecordMemory recordMemory() {
        return consumer.recordMemory();
    }

    // ------------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes this handle. On the ring's owner (an in-process ring, or the handle that {@link RingBufferBuilder#create()
     * created} a ring file) this {@linkplain #endStream() ends the stream} for every producer and consumer. On a
     * handle from {@link RingBufferBuilder#open()} it detaches this process only: this handle's later reservations
     * fail as {@link DropReason#CLOSED closed}, its wakeup watcher stops, and the ring goes on for every other
     * process. Idempotent.
     */
    @Override
    public void close() {
        if (mode.ownsStream()) {
            endStream();
        }
        producers.detach();
        mode.detach();
        consumer.spaceWaiters.wakeAll(); // after the detach: each waiter's next claim sees it and gives up
    }

    /**
     * Ends the stream, in every process that maps the ring: every later reservation fails and is counted with reason
     * {@link DropReason#CLOSED closed}; reservations made before may still be committed; committed records are still
     * delivered, then consumers see the end. Wakes the consumer. Idempotent; any handle may call it.
     */
    public void endStream() {
        producers.end();
        consumer.spaceWaiters.wakeAll(); // after the closed bit (a volatile RMW): each waiter's next claim sees it
    }

    @Override
    public boolean isClosed() {
        return region.laProducerPosition() < 0 || producers.isDetached();
    }

    /**
     * What the layers above the core keep with this ring (a Flux's subscriber slot, its meter bindings).
     *
     * @return this ring's attachments
     */
    public RingAttachments attachments() {
        return attachments;
    }

    @Override
    public String toString() {
        return "RingBuffer[name=" + name + ", capacity=" + capacity + ", maxRecordSize=" + maxRecordSize
                + ", consumerPosition=" + consumerPosition() + ", producerPosition=" + producerPosition()
                + (isClosed() ? ", closed" : "") + "]";
    }
}
