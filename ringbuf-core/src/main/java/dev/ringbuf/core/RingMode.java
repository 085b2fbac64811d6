package dev.ringbuf.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What differs between a ring in process memory and a ring file, chosen once when the ring is built (like the
 * kernel's {@code ringbuf_map_ops} and {@code user_ringbuf_map_ops}). The protocol itself (claim, commit and discard,
 * the wakeup rule, the consumer loop, freeing) is written once, in {@link ProducerPath} and {@link ConsumerPath},
 * which call these hooks and never test which mode they run in.
 *
 * <p>A kind is assembled from parts ({@code docs/semantics.md}, 1a): this memory part has exactly two
 * implementations, {@link InProcessMode} and {@link RingFileMode}, and the header part it carries ({@link #headers})
 * exactly two, {@link PlainHeaders} and {@link LapTaggedHeaders}; so no hook call site sees more than two classes,
 * whatever mix of kinds a JVM runs, and with one kind loaded the JIT inlines the hooks to what a single-kind ring would
 * do.
 */
abstract class RingMode {

    /** The header discipline: the hooks of the producers' and the consumer's per-record steps. */
    final RingHeaders headers;

    RingMode(RingHeaders headers) {
        this.headers = headers;
    }

    /**
     * After how long at a busy record the consumer abandons it ({@link RingHeaders#onHeadOfLine}), or, for a ring that never
     * abandons, after how long at a busy record an ended stream counts as drained ({@link RingBuffer#isClosedAndDrained}).
     *
     * @return nanoseconds
     */
    abstract long stallTimeoutNanos();

    /**
     * Whether the consumer abandons a record that stays busy for {@link #stallTimeoutNanos()}.
     *
     * @return {@code true} for ring files and in-process rings built with a stall timeout
     */
    abstract boolean abandonsStuckRecords();

    // ------------------------------------------------------------------------------------------------ producers

    /**
     * Validates a consumer position a producer read before trusting it.
     *
     * @param producerBefore the producer position, read with acquire before {@code consumer}
     * @param consumer the consumer position
     */
    abstract void checkConsumerPosition(long producerBefore, long consumer);

    /** A producer decided to wake the consumer: reach a consumer in another process, if there can be one. */
    abstract void ringDoorbell();

    /** The stream ended: reach a consumer in another process unconditionally. */
    abstract void ringDoorbellOnEnd();

    // ------------------------------------------------------------------------------------------------- consumer

    /**
     * Makes this thread the ring's one consumer.
     *
     * @param consumer the consumer path, for a mode that must repair what a dead consumer left
     */
    abstract void acquireConsumer(ConsumerPath consumer);

    /** Ends this thread's turn as the consumer. */
    abstract void releaseConsumer();

    /** Before the consumer zeroes the space from {@code consumerPosition} up to {@code position}. */
    abstract void beforeFree(long consumerPosition, long position);

    /** After the consumer published {@code position} as its new consumer position. */
    abstract void afterFree(long position);

    /**
     * Waits, as the consumer, until a record is ready, the deadline passes, or the stream ended and was read.
     *
     * @param consumer what the consumer can see
     * @param blocker the park blocker (the ring)
     * @param deadline in {@link System#nanoTime()} terms
     * @return whether a record is ready
     */
    abstract boolean awaitData(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException;

    /** The consumer's wakeup listener changed (null: removed). */
    abstract void listenerChanged(WakeupListener listener);

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Whether closing this handle ends the stream for everyone (the ring's owner). */
    abstract boolean ownsStream();

    /** This handle is closed: stop whatever it runs for this process. */
    abstract void detach();

    /** Records the consumer abandoned after the stall timeout. */
    abstract long abandonedRecords();

    /**
     * Overwrite mode: how long a producer waits for the claim lock, held by the same holder all along, before it takes
     * the lock from that holder (a producer process that died holding it). Never, in process.
     */
    long claimLockBreakNanos() {
        return Long.MAX_VALUE;
    }

    /** The ring file, if any. */
    abstract Optional<Path> file();
}
