package dev.ringbuf.core;

/**
 * Each thread's reusable {@link Reservation} objects, so that {@code reserve} allocates nothing even where escape
 * analysis cannot remove the object (a producer behind an interface call, a reservation returned or stored). The
 * pool is per thread and shared by every ring (each ring finds it through {@link ThreadPools}): a finished
 * reservation holds no reference to its ring.
 *
 * <p>{@link #nextFinished()} hands the slots out in turn, re-arming only objects their holders closed
 * ({@link Reservation#close()}, the end of a try-with-resources block): a reservation committed or discarded without
 * being closed may still be referenced, so it is never re-armed and a stale reference to it always throws (the
 * generation rule, without a generation the caller would have to carry). Nested reservations (reserve A, reserve B,
 * commit B, commit A) get distinct objects. When no slot is closed, a new object is handed out from outside the pool;
 * if its holder closes it, it takes the place of a slot that is not reusable ({@link #adopt}): the object it replaces
 * stays valid (or keeps throwing) for whoever holds it and is simply never reused. So reservations a thread never
 * closes cost one small object each (none where the JIT sees that it does not escape), and never the reuse of the
 * others.
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
            slots[i].pooled = true;
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
     * A closed reservation object of this pool, or a new one outside it when none is closed. Owner only.
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
        // Not stored: a reservation that is only committed never joins the pool, so where the JIT inlines the
        // producer the object does not escape and is not allocated at all; one that is closed joins it (adopt).
        return new Reservation();
    }

    /**
     * A reservation object from outside the pool was closed on this pool's thread: it takes the place of a slot
     * whose object is not reusable (live, or finished and never closed), so that a thread whose reservations were
     * once all held or abandoned gets the reuse back. Owner only.
     */
    void adopt(Reservation closed) {
        for (int i = 0; i < SLOTS; i++) {
            final int slot = (next + i) & (SLOTS - 1);
            if (!slots[slot].isReusable()) {
                slots[slot] = closed;
                return;
            }
        }
    }
}
