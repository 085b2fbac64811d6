package dev.ringbuf.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What differs between a ring in process memory and a ring file, chosen once when the ring is built (like the
 * kernel's {@code ringbuf_map_ops} and {@code user_ringbuf_map_ops}). The protocol itself (claim, commit and discard,
 * the wakeup rule, the consumer loop, freeing) is written once, in {@link ProducerPath} and {@link ConsumerPath},
 * which call these hooks and never test which mode they run in.
 *
 * <p>The hooks on the hot paths ({@link #tag}, {@link #isClaimable}, {@link #writeBusyHeader},
 * {@link #publishHeader}, {@link #checkRecord}) are trivial in {@link InProcessMode}, so that with one mode loaded
 * the JIT inlines them to what a single-mode ring would do.
 */
abstract class RingMode {

    /**
     * After how long at a busy record the consumer abandons it ({@link #onHeadOfLine}), or, for a ring that never
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

    /** The lap tag of a header at {@code position}: 0 in-process. */
    abstract long tag(long position);

    /**
     * Validates a consumer position a producer read before trusting it.
     *
     * @param producerBefore the producer position, read with acquire before {@code consumer}
     * @param consumer the consumer position
     */
    abstract void checkConsumerPosition(long producerBefore, long consumer);

    /**
     * Whether {@code [position, position + recordLength)} may be claimed.
     *
     * @return {@code false} if {@code position} is stale and the claim must be retried
     */
    abstract boolean isClaimable(long position, long recordLength);

    /** Writes the busy header of a record just claimed at {@code position}. */
    abstract void writeBusyHeader(int headerOffset, long busy, long position);

    /** Publishes a committed or discarded header: the payload written before it becomes visible to the consumer. */
    abstract void publishHeader(int headerOffset, long header);

    /**
     * Whether a {@link Reservation} must call {@link #checkReserved} before each write: only where the consumer can
     * abandon a record (ring files). Read once per reservation, so in-process writes pay one predictable branch.
     */
    boolean checksReservations() {
        return false;
    }

    /**
     * Checks that the reservation at {@code position} still owns its record before the producer writes into it.
     *
     * @param headerOffset the record's header offset in the data area
     * @param busy the busy header the producer wrote
     * @param position the record's position
     * @throws IllegalStateException if the consumer abandoned it
     */
    void checkReserved(int headerOffset, long busy, long position) {
        // in process memory the consumer never abandons a record
    }

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

    /**
     * Checks a committed or discarded header before the consumer trusts its length.
     *
     * @return {@code true} if the header may be trusted; {@code false} if the word was not a header at all but a
     *     stalled producer's late write into free space, which was cleaned: read the header again
     * @throws IllegalStateException if the header is impossible
     */
    abstract boolean checkRecord(long header, long position);

    /**
     * The consumer stopped, twice, at a record that is busy (or claimed and not yet written) at {@code position}.
     *
     * @param since when the consumer first stopped at this record with this header ({@link System#nanoTime()})
     * @return bytes to skip past an abandoned record (&gt; 0), 0 to stop here, -1 if the header changed
     */
    abstract long onHeadOfLine(long position, long header, long since);

    /**
     * Whether the consumer stopping at {@code position} with {@code header} is blocked by a reservation (as opposed
     * to having read everything reserved).
     */
    abstract boolean isReserved(long position, long header);

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
