package dev.ringbuf.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What anyone may ask a ring, from any thread, without taking part in it: its shape, its positions, its cumulative
 * counters (what the Micrometer meters read) and whether its stream has ended. Every value is momentary.
 * {@link RingBuffer} implements it.
 *
 * <pre>{@code
 * RingState state = ring;
 * double fill = (double) state.availableData() / state.capacity();
 * long dropped = state.droppedRecords(DropReason.FULL);
 * }</pre>
 */
public interface RingState {

    /**
     * The ring's name, used in messages and as the {@code ring} tag of its metrics.
     *
     * @return the ring's name, used in messages and as the {@code ring} tag of its metrics
     */
    String name();

    /**
     * Bytes of the data area: a power of two.
     *
     * @return bytes of the data area: a power of two
     */
    int capacity();

    /**
     * The largest payload a record may have.
     *
     * @return bytes
     */
    int maxRecordSize();

    /**
     * Bytes between the consumer and the producer position: records committed, busy, discarded, and read but not
     * yet released.
     *
     * @return {@code producerPosition() - consumerPosition()}, never negative; in overwrite mode
     *     {@code producerPosition() - max(consumerPosition(), overwritePosition())}
     */
    long availableData();

    /**
     * Whether the ring is in overwrite mode ({@link RingBufferBuilder#overwrite(boolean)}, the kernel's
     * {@code BPF_F_RB_OVERWRITE}): a full ring overwrites its oldest committed or discarded records instead of
     * failing. Chosen when the ring is built; recorded in a ring file.
     *
     * @return whether a full ring overwrites its oldest records
     */
    boolean isOverwrite();

    /**
     * Overwrite mode: the position of the oldest record producers have not overwritten (the kernel's
     * {@code BPF_RB_OVERWRITE_POS}); records below it are gone. Always 0 in normal mode.
     *
     * @return the overwrite position, a record boundary
     */
    long overwritePosition();

    /**
     * Overwrite mode: committed records that producers overwrote before the consumer read them (the
     * {@code ringbuf.records.overwritten} metric). With it, {@code consumedRecords() + overwrittenRecords() +
     * discardedRecords()} equals the records committed (and discarded) once the consumer has read everything.
     * Shared by every process that maps a ring file. Always 0 in normal mode.
     *
     * @return the cumulative count
     */
    long overwrittenRecords();

    /**
     * The end of the last record whose space the consumer freed, in bytes.
     *
     * @return the end of the last record whose space the consumer freed, in bytes
     */
    long consumerPosition();

    /**
     * End of the last record the consumer has read: equal to {@link #consumerPosition()} except while records read
     * with {@link RingConsumer#read} are not yet released.
     *
     * @return the read position in bytes
     */
    long readPosition();

    /**
     * The end of the last reservation, in bytes.
     *
     * @return the end of the last reservation, in bytes
     */
    long producerPosition();

    /**
     * Records delivered to a consumer so far (a handler that threw counts).
     *
     * @return records delivered to a consumer so far (a handler that threw counts)
     */
    long consumedRecords();

    /**
     * Discarded records the consumer has passed so far.
     *
     * @return discarded records the consumer has passed so far
     */
    long discardedRecords();

    /**
     * Busy records the consumer abandoned because their producer did not commit them within the stall timeout (ring
     * files; 0 in process). Persisted in a ring file. The {@code ringbuf.records.abandoned} metric.
     *
     * @return the cumulative count
     */
    long abandonedRecords();

    /**
     * How long the consumer has been stopped by the busy record at its read position, as of its last poll: a
     * producer that reserved and has not committed (a slow producer, or a stuck reservation). 0 when the consumer is
     * not blocked (it is delivering, or has read everything reserved). Tells "blocked by a stuck reservation" apart
     * from "the consumer is too slow", which both show as a full ring and {@code full} drops.
     *
     * @return nanoseconds
     */
    long blockedNanos();

    /**
     * Records dropped for {@code reason} so far.
     *
     * @param reason why
     * @return the cumulative count
     */
    long droppedRecords(DropReason reason);

    /**
     * Records dropped for any reason so far.
     *
     * @return records dropped for any reason so far
     */
    long droppedRecords();

    /**
     * Wakeups producers have sent so far (one per commit or discard that decided to wake).
     *
     * @return wakeups producers have sent so far (one per commit or discard that decided to wake)
     */
    long wakeups();

    /**
     * After how long at a busy record the consumer abandons it: present for ring files, and for in-process rings
     * built with {@link RingBufferBuilder#stallTimeout(java.time.Duration)}; empty for rings that never abandon.
     *
     * @return the stall timeout, if this ring abandons stuck records
     */
    Optional<java.time.Duration> stallTimeout();

    /**
     * The file a ring file is mapped from; empty for an in-process ring.
     *
     * @return the file a ring file is mapped from; empty for an in-process ring
     */
    Optional<Path> file();

    /**
     * {@code true} once the stream ended or this handle was closed.
     *
     * @return {@code true} once the stream ended or this handle was closed
     */
    boolean isClosed();

    /**
     * Whether the stream ended and the consumer has read every record reserved before: nothing more will ever be
     * delivered.
     *
     * @return {@code true} at the end of the stream
     */
    boolean isClosedAndDrained();
}
