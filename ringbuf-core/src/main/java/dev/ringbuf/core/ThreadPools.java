package dev.ringbuf.core;

/**
 * One ring's direct-mapped cache of its producer threads' {@link ReservationPool}s, so that {@code reserve} finds the
 * calling thread's pool with an array load and an identity check instead of a ThreadLocal lookup (a hash probe and a
 * weak-reference read under the GC's barrier) on every record. Two producer threads that map to the same entry
 * both still work: each miss goes through the ThreadLocal and takes the entry over.
 */
final class ThreadPools {

    /** Entries: a power of two. Thread ids are sequential, so up to this many live producers rarely collide. */
    private static final int ENTRIES = 64;

    private final ReservationPool[] byThread = new ReservationPool[ENTRIES];

    /**
     * A finished reservation object of the current thread's pool, ready to be armed (see
     * {@link ReservationPool#nextFinished()}).
     *
     * @return an object the caller arms at once
     */
    @SuppressWarnings("deprecation") // Thread.getId: only the index; threadId() is not in Java 17
    Reservation take() {
        final Thread thread = Thread.currentThread();
        final int index = (int) thread.getId() & (ENTRIES - 1);
        ReservationPool pool = byThread[index];
        if (pool == null || pool.owner != thread) {
            pool = ReservationPool.current();
            // Plain store: a racing reader sees null, an older pool or this one, and uses it only if it owns it
            // (owner is final, so a pool seen through a race is seen with its owner).
            byThread[index] = pool;
        }
        return pool.nextFinished();
    }
}
