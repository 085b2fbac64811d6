package dev.ringbuf.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Several rings, one consumer (libbpf's {@code ring_buffer__add} and {@code ring_buffer__consume_n}): sharded or
 * per-thread rings, in process or ring files, mixed, consumed by one thread or one Flux.
 *
 * <pre>{@code
 * RingGroup group = RingGroup.of(shard0, shard1, shard2);
 * group.add(shard3);                                       // or remove(ring), any time, from any thread
 * while (running) {
 *     group.consume((ring, record) -> handle(ring.name(), record.getLong(0)), 1_000);   // at most 1000 in all
 *     group.awaitData(Duration.ofMillis(100));             // any ring's wakeup ends the wait
 * }
 * }</pre>
 *
 * <h2>Fairness</h2> A consume makes passes over the rings; a pass takes at most {@link #batchPerRing()} records from
 * each ring in turn, starting at the ring after the one the previous consume ended at (round robin), until the
 * limit is reached or a whole pass delivers nothing. So a busy ring gets at most {@code batchPerRing} records before
 * each other ring gets its turn, and none is starved. Each ring's own order is kept; there is no order between rings.
 *
 * <h2>Ownership</h2> The group becomes each member ring's consumer and takes its {@link
 * RingConsumer#setWakeupListener wakeup listener}: a ring that already has a listener (a {@code RingBufferFlux},
 * another group) is refused. Each ring keeps its own counters and metrics. A ring removed while the group's consumer
 * is in a consume may still be read by that consume.
 *
 * <h2>Threads</h2> {@code add}, {@code remove} and the queries are thread-safe. {@code consume},
 * {@code controlledConsume} and {@code awaitData} are the consumer's: one thread at a time, a second concurrent
 * one gets {@link IllegalStateException}.
 */
public final class RingGroup implements AutoCloseable {

    /** The default {@link #batchPerRing()}: 64 records. */
    public static final int DEFAULT_BATCH_PER_RING = 64;

    private static final GroupMember[] NONE = new GroupMember[0];

    private final int batchPerRing;
    private final ConsumerGuard guard = new ConsumerGuard();
    private final ReentrantLock membership = new ReentrantLock();
    /** Copy on write under {@link #membership}; the consumer reads a snapshot per consume. */
    private volatile GroupMember[] members = NONE;
    private volatile boolean closed;
    /** The group's wakeup listener and the thread parked in awaitData. */
    private final GroupSignal signal = new GroupSignal();
    private final RingAttachments attachments = new RingAttachments();
    /** What the parked consumer re-checks once it has published itself (made once: parking allocates nothing). */
    private final WakeupSignal.Readiness readiness = () -> isRecordReady() || isClosedAndDrained();
    /** Consumer only (guard held): where the next consume starts. */
    private int next;

    private RingGroup(int batchPerRing) {
        this.batchPerRing = batchPerRing;
    }

    /**
     * An empty group with the {@link #DEFAULT_BATCH_PER_RING default} batch per ring.
     *
     * @return a new group
     */
    public static RingGroup create() {
        return new RingGroup(DEFAULT_BATCH_PER_RING);
    }

    /**
     * An empty group.
     *
     * @param batchPerRing the most records one pass takes from one ring before moving to the next, positive
     * @return a new group
     * @throws IllegalArgumentException if {@code batchPerRing} is not positive
     */
    public static RingGroup create(int batchPerRing) {
        if (batchPerRing <= 0) {
            throw new IllegalArgumentException("batchPerRing " + batchPerRing + " must be positive");
        }
        return new RingGroup(batchPerRing);
    }

    /**
     * A group of {@code rings}, with the default batch per ring.
     *
     * @param rings the members
     * @return a new group
     * @throws IllegalStateException if a ring is given twice or already has a wakeup listener
     */
    public static RingGroup of(RingBuffer... rings) {
        final RingGroup group = create();
        for (RingBuffer ring : rings) {
            group.add(ring);
        }
        return group;
    }

    /**
     * Adds a ring: the group's consumer reads it from its next consume on.
     *
     * @param ring the ring
     * @return this group
     * @throws IllegalStateException if the ring is already a member, has a wakeup listener, or the group is closed
     */
    public RingGroup add(RingBuffer ring) {
        Objects.requireNonNull(ring, "ring must not be null");
        membership.lock();
        try {
            if (closed) {
                throw new IllegalStateException("ring group is closed: cannot add ring '" + ring.name() + "'");
            }
            final GroupMember[] current = members;
            if (indexOf(current, ring) >= 0) {
                throw new IllegalStateException("ring '" + ring.name() + "' is already in this group");
            }
            final GroupMember member = new GroupMember(this, ring);
            final WakeupListener previous = ring.setWakeupListener(member);
            if (previous != null) {
                ring.setWakeupListener(previous);
                throw new IllegalStateException("ring '" + ring.name() + "' already has a wakeup listener: it is "
                        + "consumed elsewhere (a RingBufferFlux, another group, or setWakeupListener); a ring has one"
                        + " consumer");
            }
            final GroupMember[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = member;
            members = grown;
        } finally {
            membership.unlock();
        }
        onRingWakeup(); // it may hold records already
        return this;
    }

    /**
     * Removes a ring and gives back its wakeup listener; the ring may then be consumed on its own.
     *
     * @param ring the ring
     * @return whether it was a member
     */
    public boolean remove(RingBuffer ring) {
        Objects.requireNonNull(ring, "ring must not be null");
        membership.lock();
        try {
            final GroupMember[] current = members;
            final int index = indexOf(current, ring);
            if (index < 0) {
                return false;
            }
            final GroupMember[] shrunk = new GroupMember[current.length - 1];
            System.arraycopy(current, 0, shrunk, 0, index);
            System.arraycopy(current, index + 1, shrunk, index, shrunk.length - index);
            members = shrunk;
            final WakeupListener previous = ring.setWakeupListener(null);
            if (previous != current[index]) {
                ring.setWakeupListener(previous); // not ours (the user replaced it): leave it
            }
        } finally {
            membership.unlock();
        }
        onRingWakeup(); // the group may be drained now
        return true;
    }

    private static int indexOf(GroupMember[] members, RingBuffer ring) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].ring == ring) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The member rings, in round-robin order.
     *
     * @return an immutable snapshot
     */
    public List<RingBuffer> rings() {
        final GroupMember[] current = members;
        final RingBuffer[] rings = new RingBuffer[current.length];
        for (int i = 0; i < current.length; i++) {
            rings[i] = current[i].ring;
        }
        return List.of(rings);
    }

    /**
     * The most records one pass takes from one ring.
     *
     * @return records
     */
    public int batchPerRing() {
        return batchPerRing;
    }

    // ------------------------------------------------------------------------------------------------- consumer

    /**
     * Delivers the records committed now in every ring, fairly (see the class comment), and frees their space.
     *
     * @param handler receives each record and its ring, on this thread
     * @return records delivered in all
     * @throws IllegalStateException if another consumer is active on the group or one of its rings
     * @throws RuntimeException whatever the handler threw: that record counts as consumed, nothing else is lost
     */
    public int consume(GroupRecordHandler handler) {
        return consume(handler, Integer.MAX_VALUE);
    }

    /**
     * Delivers at most {@code limit} records in all across the rings (libbpf's {@code ring_buffer__consume_n}).
     *
     * @param handler receives each record and its ring, on this thread
     * @param limit the most records to deliver in all, positive
     * @return records delivered in all
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active on the group or one of its rings
     */
    public int consume(GroupRecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        return run(null, handler, limit);
    }

    /**
     * Like {@link #consume(GroupRecordHandler, int)}, with a handler that can end the batch early.
     *
     * @param handler receives each record and its ring and says whether to go on
     * @param limit the most records to deliver in all, positive
     * @return records delivered in all (an aborted one is not)
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if another consumer is active on the group or one of its rings
     */
    public int controlledConsume(ControlledGroupRecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        return run(handler, null, limit);
    }

    private int run(ControlledGroupRecordHandler controlled, GroupRecordHandler plain, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit + " must be positive");
        }
        acquire();
        final GroupMember[] current = members;
        final int size = current.length;
        int total = 0;
        int at = size == 0 ? 0 : next % size;
        try {
            while (size != 0 && total < limit) {
                int pass = 0;
                for (int k = 0; k < size && total < limit; k++) {
                    final GroupMember member = current[at];
                    at = at + 1 == size ? 0 : at + 1; // the next consume starts after the ring visited last
                    final int delivered = member.consume(controlled, plain, Math.min(limit - total, batchPerRing));
                    total += delivered;
                    pass += delivered;
                    if (member.stopped) {
                        return total;
                    }
                }
                if (pass == 0) {
                    break;
                }
            }
            return total;
        } finally {
            next = at;
            guard.release();
        }
    }

    private void acquire() {
        if (!guard.tryAcquire()) {
            throw new IllegalStateException("ring group already has an active consumer: consume and awaitData must "
                    + "not run concurrently");
        }
    }

    /**
     * Blocks until a record can be consumed in some ring, the timeout elapses, or the group is drained. Any ring's
     * wakeup ends it, and none is lost (the rule of {@link RingConsumer#awaitData(Duration)}, per ring). In-process
     * rings wake the parked thread directly; a ring file's wakeups from other processes arrive through its doorbell
     * watcher (a thread per ring file, started when the ring joins). Like a ring's own awaitData it also returns when
     * a ring that abandons stuck records has held its consumer at a busy record for its stall timeout, so that the
     * next consume abandons it.
     *
     * @param timeout the longest wait; zero or negative: do not wait
     * @return {@code true} if a record is ready in some ring
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if another consumer is active on the group
     */
    public boolean awaitData(Duration timeout) throws InterruptedException {
        final long deadline = Timeouts.deadline(timeout);
        acquire();
        try {
            return signal.await(this, readiness, deadline);
        } finally {
            guard.release();
        }
    }

    /** The members now, for {@link GroupSignal}. */
    GroupMember[] members() {
        return members;
    }

    /**
     * Whether some ring has a committed or discarded record at its read position.
     *
     * @return {@code true} if the next consume makes progress
     */
    public boolean isRecordReady() {
        for (GroupMember member : members) {
            if (member.ring.isRecordReady()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Plugs a listener into the group's wakeups: any ring's wakeup calls it (the Reactor drain is one). It runs on
     * producer threads, or a ring file's doorbell watcher thread.
     *
     * @param listener the listener, or {@code null} to remove the current one
     * @return the previous listener, or {@code null}
     */
    public @Nullable WakeupListener setWakeupListener(@Nullable WakeupListener listener) {
        return signal.setListener(listener);
    }

    /** A member ring's wakeup (or a membership change). */
    void onRingWakeup() {
        signal.signal();
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Whether nothing more will be delivered: the group is closed, or it has rings and every one is
     * {@linkplain RingState#isClosedAndDrained() closed and drained}. An empty group is not drained (rings may join).
     *
     * @return {@code true} at the end of the group's stream
     */
    public boolean isClosedAndDrained() {
        if (closed) {
            return true;
        }
        final GroupMember[] current = members;
        if (current.length == 0) {
            return false;
        }
        for (GroupMember member : current) {
            if (!member.ring.isClosedAndDrained()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Closes the group: removes every ring (they keep their records and may be consumed on their own; their streams
     * do not end) and ends the group's stream: a {@code RingBufferFlux} over it completes. Idempotent.
     */
    @Override
    public void close() {
        membership.lock();
        try {
            closed = true;
        } finally {
            membership.unlock();
        }
        for (RingBuffer ring : rings()) {
            remove(ring);
        }
        onRingWakeup();
    }

    /**
     * What the layers above the core keep with this group (a Flux's subscriber slot).
     *
     * @return this group's attachments
     */
    public RingAttachments attachments() {
        return attachments;
    }

    @Override
    public String toString() {
        return "RingGroup" + rings().stream().map(RingBuffer::name).toList() + (closed ? " closed" : "");
    }
}
