package dev.ringbuf.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * An asynchronous producer's place in the queue of producers waiting for space in a ring: the same queue, the same
 * first-come-first-served rule and the same exact wake-up as a thread in {@link RingBuffer#reserve(int,
 * java.time.Duration)} (one mechanism, {@code docs/semantics.md}). Get one per producer with
 * {@link RingProducer#spaceWaiter(Runnable)} and keep it.
 *
 * <pre>{@code
 * SpaceWaiter waiter = ring.spaceWaiter(() -> executor.execute(this::resume)); // hand over: never work in it
 *
 * void resume() {
 *     int offset = waiter.tryClaim(size);   // in turn: joins the queue, or claims once woken
 *     if (offset >= 0) {
 *         buffer.putLong(offset, seq);
 *         ring.commit(offset);
 *     } else if (offset == RingBuffer.CLAIM_CLOSED) {
 *         ring.countDrop(DropReason.CLOSED);  // give up for good
 *     }                                       // else CLAIM_FULL: queued; onSpace runs when its turn comes
 * }
 * }</pre>
 *
 * <p>{@code onSpace} runs once per wait, when the free space can serve this waiter after the ones ahead of it, on
 * the thread that found out (the consumer's, or a ring file's watcher): it must only hand the news over (schedule,
 * unpark), never block or claim there. A woken waiter keeps its turn, and the space counted for it, until it calls
 * {@link #tryClaim} or {@link #cancel}: call one of them soon, or the waiters behind it wait too. Thread-safe, but
 * one wait at a time: use one waiter per producer.
 */
public final class SpaceWaiter {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SpaceWaiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Not in the queue. */
    private static final int IDLE = 0;
    /** In the queue, waiting for its turn. */
    private static final int QUEUED = 1;
    /** In the queue, woken: it may claim. */
    private static final int WOKEN = 2;

    private final SpaceWaiters waiters;
    private final ProducerPath producers;
    final Runnable onSpace;
    /** The record length this waiter waits for: read by whoever wakes the queue (racy, a hint for the sum). */
    private volatile int need;
    @SuppressWarnings("unused") // read and written through STATE
    private volatile int state;

    SpaceWaiter(SpaceWaiters waiters, ProducerPath producers, Runnable onSpace) {
        this.waiters = waiters;
        this.producers = producers;
        this.onSpace = Objects.requireNonNull(onSpace, "onSpace must not be null");
    }

    /**
     * Claims {@code size} payload bytes in turn: if this waiter was woken (or nobody is ahead of it and the ring has
     * room), claims ahead of producers that do not wait and leaves the queue; otherwise joins the queue (or keeps its
     * place) and returns {@link RingBuffer#CLAIM_FULL}, and {@code onSpace} runs when its turn comes. Nothing is
     * counted as a drop (see {@link RingProducer#countDrop}).
     *
     * @param size payload bytes, 0 to the ring's maxRecordSize
     * @return the payload's offset in {@link RingBuffer#buffer()}, {@link RingBuffer#CLAIM_FULL} (queued) or
     *     {@link RingBuffer#CLAIM_CLOSED} (the stream ended or the handle was closed; the waiter left the queue)
     * @throws IllegalArgumentException if {@code size} is negative or above the ring's maxRecordSize
     */
    public int tryClaim(int size) {
        final long position = claim(size);
        return position >= 0 ? producers.payloadOffset(position)
                : position == ProducerPath.CLAIM_CLOSED ? RingBuffer.CLAIM_CLOSED : RingBuffer.CLAIM_FULL;
    }

    /**
     * {@link #tryClaim} as a position ({@link ProducerPath#CLAIM_FULL}, {@link ProducerPath#CLAIM_CLOSED}).
     */
    long claim(int size) {
        producers.checkSize(size);
        need = (int) RingLayout.recordLength(size);
        for (;;) {
            final int current = (int) STATE.getVolatile(this);
            if (current == IDLE) {
                STATE.setVolatile(this, QUEUED);
                waiters.join(this); // passes the turn on: may wake this waiter at once
                if ((int) STATE.getVolatile(this) == QUEUED) {
                    return ProducerPath.CLAIM_FULL;
                }
                continue;
            }
            if (current == QUEUED) {
                return ProducerPath.CLAIM_FULL;
            }
            final long position = producers.claimWaiting(size);
            if (position >= 0 || position == ProducerPath.CLAIM_CLOSED) {
                STATE.setVolatile(this, IDLE);
                waiters.leave(this);
                return position;
            }
            // Woken, yet full: a racing producer took the space. Back in line at our place, then look again. The
            // volatile RMW orders our state before wakeFitting's reads of the positions (the Dekker pair with a
            // consumer that frees meanwhile: it reads our state after its position).
            STATE.getAndSet(this, QUEUED);
            waiters.wakeFitting(this);
            if ((int) STATE.getVolatile(this) == QUEUED) {
                return ProducerPath.CLAIM_FULL;
            }
        }
    }

    /**
     * Leaves the queue, passing this waiter's turn on: what a producer that gives up calls. Does nothing if it is not
     * waiting. The waiter may wait again later.
     */
    public void cancel() {
        if ((int) STATE.getAndSet(this, IDLE) != IDLE) {
            waiters.leave(this);
        }
    }

    /**
     * Whether this waiter is in the queue (waiting for its turn, or woken and not yet claimed).
     *
     * @return {@code true} while it waits
     */
    public boolean isWaiting() {
        return (int) STATE.getVolatile(this) != IDLE;
    }

    /** The record length it waits for. */
    int need() {
        return need;
    }

    /** Its turn came: QUEUED to WOKEN, once. @return whether this call woke it */
    boolean wake() {
        return STATE.compareAndSet(this, QUEUED, WOKEN);
    }

    @Override
    public String toString() {
        final int current = (int) STATE.getVolatile(this);
        return "SpaceWaiter[" + (current == IDLE ? "idle" : current == QUEUED ? "queued" : "woken") + ", need="
                + need + "]";
    }
}
