package dev.ringbuf.core;

/**
 * Each thread's reusable {@link Reservation} objects, so that {@code reserve} allocates nothing even where escape
 * analysis cannot remove the object (a producer behind an interface call, a reservation returned or stored). The
 * pool is per thread and shared by every ring (each ring finds it through {@link ThreadPools}): a finished
 * reservation holds no reference to its ring.
 *
 * <p>{@link #nextFinished()} hands the slots out in turn, skipping live ones, so a stale reference to a finished reservation
 * keeps throwing until the thread has reserved {@link #SLOTS} more times (fewer while other slots are live), and nested reservations (reserve A,
 * reserve B, commit B, commit A) get distinct objects. When every slot is live, a new object takes the place of the
 * slot whose turn it is: the live object it replaces stays valid for whoever holds it and is simply never reused,
 * so reservations a thread abandons (never finished, say on a ring that was closed) cost it the reuse only once.
 */
final class ReservationPool {

    /** Slots per thread: a power of two. */
    static final int SLOTS = 4;

    private static final ThreadLocal<ReservationPool> POOLS = ThreadLocal.withInitial(ReservationPool::new);

    /** The thread whose pool this is: compared by identity, so no other thread ever uses it. */
    final Thread owner = Thread.currentThread();
    private final Reservation[] slots = new Reservation[SLOTS];
    private int next;

    private ReservationPool() {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Reservation();
        }
    }

    /**
     * The current thread's pool, through the ThreadLocal.
     *
     * @return the pool, created on the thread's first reservation
     */
    static ReservationPool current() {
        return POOLS.get();
    }

    /**
     * A finished reservation object of this pool, or a new one that takes a slot when all are live. Owner only.
     *
     * @return an object the caller arms at once
     */
    Reservation nextFinished() {
        for (int i = 0; i < SLOTS; i++) {
            final int slot = (next + i) & (SLOTS - 1);
            final Reservation candidate = slots[slot];
            if (candidate.isReusable()) {
                next = (slot + 1) & (SLOTS - 1);
                return candidate;
            }
        }
        final Reservation fresh = new Reservation();
        slots[next] = fresh;
        next = (next + 1) & (SLOTS - 1);
        return fresh;
    }
}
