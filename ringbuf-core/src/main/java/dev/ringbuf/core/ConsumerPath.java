package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.ALIGNMENT;
import static dev.ringbuf.core.RingLayout.CLOSED_BIT;
import static dev.ringbuf.core.RingLayout.STATE_BUSY;
import static dev.ringbuf.core.RingLayout.STATE_COMMITTED;
import static dev.ringbuf.core.RingLayout.STATE_DISCARDED;
import static dev.ringbuf.core.RingLayout.length;
import static dev.ringbuf.core.RingLayout.recordLength;
import static dev.ringbuf.core.RingLayout.state;

import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The consumer's half of the protocol, written once for every {@link RingMode}: the consumer loop (in reservation
 * order, stopping at the first busy record, skipping discarded ones), freeing consumed space, and how long the
 * consumer has been blocked by a busy record. One consumer at a time (the mode's guard); nothing here allocates.
 * Overwrite mode subclasses it ({@link OverwriteConsumerPath}, chosen when the ring is built).
 */
class ConsumerPath implements WakeupSignal.Readiness {

    final String name;
    final RingRegion region;
    final RingMode mode;
    /** The kind's header part ({@link PlainHeaders} or {@link LapTaggedHeaders}): the per-record hooks. */
    final RingHeaders headers;
    private final int capacity;
    final int mask;
    /** The consumer's flyweight view: one per ring, so consuming allocates nothing. */
    final RecordView view;
    /** Adapts a plain {@link RecordHandler} to the one loop, without allocating. Consumer only. */
    private final PlainHandler plain = new PlainHandler();
    /** Where and since when the consumer has been stopped by a busy record. */
    final BlockedClock blocked = new BlockedClock();

    /** This process's producers waiting for space: woken, in turn, after each free. */
    final SpaceWaiters spaceWaiters;

    ConsumerPath(String name, RingRegion region, RingMode mode, int capacity) {
        this(name, region, mode, capacity, false);
    }

    /** @param overwrite an overwrite ring's consumer: every waiter fits ({@link SpaceWaiters}) */
    ConsumerPath(String name, RingRegion region, RingMode mode, int capacity, boolean overwrite) {
        // A ring file's consumer may be in another process: then a watcher wakes this process's waiters.
        this.spaceWaiters = new SpaceWaiters(name, region, capacity, overwrite, mode.file().isPresent());
        this.name = name;
        this.region = region;
        this.mode = mode;
        this.headers = mode.headers;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.view = new RecordView(new RecordMemory(region.data, mask));
    }

    RecordMemory recordMemory() {
        return view.memory();
    }

    /** {@code consume} ({@code free}) or {@code read} with a plain handler. */
    int consume(RecordHandler handler, int limit, boolean free) {
        Objects.requireNonNull(handler, "handler must not be null");
        return guarded(plain, handler, limit, free);
    }

    /** {@code controlledConsume} ({@code free}) or {@code controlledRead}. */
    int consumeControlled(ControlledRecordHandler handler, int limit, boolean free) {
        Objects.requireNonNull(handler, "handler must not be null");
        return guarded(handler, null, limit, free);
    }

    /**
     * Delivers at most {@code limit} records under the consumer guard; with {@code free}, frees their space too,
     * else leaves that to {@link #releaseTo}.
     */
    private int guarded(ControlledRecordHandler handler, RecordHandler plainHandler, int limit, boolean free) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit + " must be positive");
        }
        mode.acquireConsumer(this);
        try {
            plain.handler = plainHandler; // guard held: only this consumer uses the adapter
            return batch(handler, limit, free);
        } finally {
            plain.handler = null;
            try {
                afterBatch(free);
            } finally {
                mode.releaseConsumer(); // also when freeing refused (a ring file found its position corrupted)
            }
        }
    }

    /** One batch of the consumer loop, guard held (the overwrite variant reads its own way). */
    int batch(ControlledRecordHandler handler, int limit, boolean free) {
        return read(handler, limit);
    }

    /** After a batch, guard held: {@code consume} frees what was read (the overwrite variant frees nothing). */
    void afterBatch(boolean free) {
        if (free) {
            freeTo(region.lpReadPosition());
        }
    }

    /** The consumer loop: reads from the read position and publishes it. Call with the consumer guard held. */
    private int read(ControlledRecordHandler handler, int limit) {
        final RingRegion region = this.region;
        final RingHeaders headers = this.headers;
        final RecordView view = this.view;
        final int mask = this.mask;
        // Plain: a word only the consumer writes; the guard's CAS orders it after the previous consumer's stores.
        final long start = region.lpReadPosition();
        long position = start;
        long recheckedAt = -1;
        int delivered = 0;
        long discarded = 0;
        long abandoned = 0;
        try {
            while (delivered < limit) {
                final int headerOffset = (int) (position & mask);
                // Acquire pairs with the producer's release (or CAS) of the header: its payload is visible now.
                final long header = region.laHeader(headerOffset);
                final int state = state(header);
                if (state == STATE_COMMITTED) {
                    if (!headers.checkRecord(header, position)) {
                        continue; // a ring file cleaned a late write where no record is yet: read again
                    }
                    view.point(position);
                    final long at = position;
                    // Advance first: a handler that throws has consumed its record, and nothing else.
                    position += recordLength(length(header));
                    delivered++;
                    final ControlledRecordHandler.Action action;
                    try {
                        action = handler.onRecord(view);
                    } finally {
                        view.end();
                    }
                    if (action != ControlledRecordHandler.Action.CONTINUE) {
                        if (action == ControlledRecordHandler.Action.ABORT) {
                            position = at;
                            delivered--;
                        }
                        break;
                    }
                } else if (state == STATE_DISCARDED) {
                    if (!headers.checkRecord(header, position)) {
                        continue;
                    }
                    position += recordLength(length(header));
                    discarded++;
                } else if (header == 0 || state == STATE_BUSY) {
                    if (recheckedAt != position) {
                        // About to stop at a record a producer still holds. Publish how far we read, fence, and look
                        // once more: the other half of the StoreLoad pair in ProducerPath.publish. Either we see the
                        // commit now, or the committing producer sees that we caught up and wakes us. A poll that
                        // read nothing skips the store: the word already holds this position, stored before this
                        // fence (by this consumer, or the previous one, ordered by the guard), and not storing keeps
                        // the line DEFAULT commits read from ping-ponging while the consumer polls an empty ring.
                        if (position != start) {
                            region.srReadPosition(position);
                        }
                        VarHandle.fullFence();
                        recheckedAt = position;
                        continue;
                    }
                    if (!headers.isReserved(position, header)) {
                        break; // caught up with the producers: nothing is blocked
                    }
                    final long skip = headers.onHeadOfLine(position, header, blocked.since(position, header));
                    if (skip == 0) {
                        break; // head of line: its producer has not committed it yet, and will wake us
                    }
                    if (skip > 0) {
                        position += skip;
                        abandoned++;
                    }
                    recheckedAt = -1;
                } else {
                    if (!headers.checkRecord(header, position)) { // a ring file names the corruption more precisely
                        continue;
                    }
                    throw new IllegalStateException("ring '" + name + "' is corrupted: record header 0x"
                            + Long.toHexString(header) + " at position " + position + " has invalid state " + state);
                }
            }
        } finally {
            // Release: the records read so far are ours; producers compare their position to it (DEFAULT wakeups).
            if (position != start) {
                region.srReadPosition(position);
            }
            region.soAddCounts(delivered, discarded, abandoned);
        }
        return delivered;
    }

    /** Frees the space of records already read, up to {@code position}. */
    void releaseTo(long position) {
        mode.acquireConsumer(this);
        try {
            final long consumerPosition = region.lpConsumerPosition();
            final long readPosition = region.lpReadPosition();
            if (position < consumerPosition || position > readPosition) {
                throw new IllegalArgumentException("position " + position + " must be between the consumer position "
                        + consumerPosition + " and the read position " + readPosition);
            }
            // Every record boundary is 8-aligned; an unaligned position would zero part of a record still held.
            if ((position & (ALIGNMENT - 1)) != 0) {
                throw new IllegalArgumentException("position " + position + " is not a record boundary: record "
                        + "positions are a multiple of 8");
            }
            freeTo(position);
        } finally {
            mode.releaseConsumer();
        }
    }

    /** Zeroes the space up to {@code position} and gives it back to producers. Call with the consumer guard held. */
    void freeTo(long position) {
        final long consumerPosition = region.lpConsumerPosition();
        if (position == consumerPosition) {
            return;
        }
        mode.beforeFree(consumerPosition, position);
        final int from = (int) (consumerPosition & mask);
        final int to = (int) (position & mask);
        if (from < to) {
            region.spZeroes(from, to - from);
        } else {
            // Wrapped. A record that crossed the end lives in the tail extension, which no header ever reads, so
            // only the data area needs zeroes: the part of [from, capacity) and [0, to).
            region.spZeroes(from, capacity - from);
            region.spZeroes(0, to);
        }
        // Release: the zeroes above happen-before any producer that acquires this position writes into the space.
        region.srConsumerPosition(position);
        mode.afterFree(position);
        spaceWaiters.onSpaceFreed(); // the producers of this process waiting for space, in turn
    }

    /** Moves the read position back to the consumer position: what was read and not released is read again. */
    void rewindRead() {
        mode.acquireConsumer(this);
        try {
            // Release, as after a read: the next consumer (ordered by the guard) and DEFAULT commits read it.
            region.srReadPosition(region.lpConsumerPosition());
        } finally {
            mode.releaseConsumer();
        }
    }

    /** Forgets where the consumer was blocked (another consumer took over). Guard held. */
    void resetBlocked() {
        blocked.reset();
    }

    /** Whether the record at the read position is committed or discarded: the next consume makes progress. */
    boolean isRecordReady() {
        final long position = region.laReadPosition();
        final int state = state(region.laHeader((int) (position & mask)));
        return state == STATE_COMMITTED || state == STATE_DISCARDED;
    }

    @Override
    public boolean readyOrEnded() {
        return isRecordReady() || isEndedAndRead();
    }

    /** Whether the stream ended and every record reserved before was read. */
    boolean isEndedAndRead() {
        final long producer = region.laProducerPosition();
        return producer < 0 && region.laReadPosition() == (producer & ~CLOSED_BIT);
    }

    /** How long the consumer has been stopped by the busy record at its read position; 0 when it is not. */
    long blockedNanos() {
        final long position = region.laReadPosition();
        return blocked.nanos(position, region.laHeader((int) (position & mask)));
    }

    /** {@code producerPosition - consumerPosition}, the consumer position read first: never negative. */
    long availableData() {
        // Both only grow, so a producer position read after it is never smaller.
        final long consumerPosition = region.laConsumerPosition();
        return (region.laProducerPosition() & ~CLOSED_BIT) - consumerPosition;
    }

    /** Adapts a {@link RecordHandler}: every record consumed, never an early end. */
    private static final class PlainHandler implements ControlledRecordHandler {
        RecordHandler handler;

        @Override
        public Action onRecord(Record record) {
            handler.onRecord(record);
            return Action.CONTINUE;
        }
    }
}
