package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The view {@code records()} emits in manual-release mode: valid after {@code onNext} returns, until
 * {@link #release()} (from any thread, idempotent). The ring keeps its bytes until every record before it is
 * released too.
 */
final class ManualRecord extends Record {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(ManualRecord.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ManualReleaseSubscription owner;
    /** The record's position, kept apart from the view so that the drain can read it after any release. */
    final long ringPosition;
    /**
     * 0 until released. Read by the drain (volatile) to reclaim space: the release happens-before the drain frees
     * the record's bytes, so a producer can never overwrite bytes that the releasing thread was still reading.
     */
    @SuppressWarnings("unused")
    private volatile int released;

    /** {@code System.nanoTime()} of the batch that emitted it: the stall warning's clock. */
    final long emittedAt;

    ManualRecord(ManualReleaseSubscription owner, RingBuffer ring, long position, long emittedAt) {
        super(ring, position);
        this.owner = owner;
        this.ringPosition = position;
        this.emittedAt = emittedAt;
    }

    /**
     * Gives the record's space back to the ring: any later read of this view throws {@link IllegalStateException}.
     * Idempotent; may be called from any thread. The ring reclaims space up to the oldest record not yet released.
     */
    @Override
    public void release() {
        invalidate();
        // CAS: two threads releasing the same record wake the drain once.
        if (RELEASED.compareAndSet(this, 0, 1)) {
            owner.onRelease();
        }
    }

    /**
     * Taken back by the drain (cancel, error): the view becomes unreadable and the record will be delivered again
     * to the next subscriber. A later {@link #release()} by the old subscriber does nothing.
     */
    void revoke() {
        RELEASED.compareAndSet(this, 0, 1);
        invalidate();
    }

    boolean isReleased() {
        return released != 0;
    }
}
