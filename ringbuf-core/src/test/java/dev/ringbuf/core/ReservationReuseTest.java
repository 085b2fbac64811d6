package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Reservation}'s per-thread reuse: stale references are detected, nested reservations are
 * independent, try-with-resources and double-commit detection still hold, a reservation handed to another thread
 * can be finished there.
 */
class ReservationReuseTest extends ContractSuite {

    private static List<Long> consumeLongs(RingBuffer ring) {
        List<Long> seen = new ArrayList<>();
        ring.consume(record -> seen.add(record.getLong(0)));
        return seen;
    }

    @Test
    void aStaleReferenceThrowsAfterTheThreadReservedAgain() {
        RingBuffer ring = ring(4096);
        Reservation first = ring.reserve(8).putLong(0, 1);
        first.commit();
        // The next reservations of this thread must not be the finished object.
        List<Reservation> later = new ArrayList<>();
        for (int i = 0; i < ReservationPool.SLOTS - 1; i++) {
            Reservation next = ring.reserve(8).putLong(0, 2 + i);
            assertThat(next).isNotSameAs(first);
            assertThatThrownBy(first::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already committed or discarded");
            assertThatThrownBy(() -> first.putLong(0, 99)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(first::discard).isInstanceOf(IllegalStateException.class);
            next.commit();
            later.add(next);
        }
        assertThat(consumeLongs(ring)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ring.consumerPosition()).isEqualTo(4 * 16);
    }

    /**
     * Issue 20's attack: a stale reference to a finished reservation, used while the thread writes a newer one. With
     * objects re-armed as soon as they were finished, 276 of 1,000 such stale commits were accepted and delivered the
     * newer record half-written; only closed objects are re-armed now, so every one is detected.
     */
    @Test
    void aThousandStaleDoubleCommitsAreAllDetectedAndNothingHalfWrittenIsDelivered() {
        RingBuffer ring = ring(1 << 16);
        int detected = 0;
        List<long[]> seen = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Reservation stale = ring.reserve(16);
            stale.putLong(0, i).putLong(8, i);
            stale.commit();
            for (int j = 0; j < ReservationPool.SLOTS - 1; j++) { // the thread goes on: its pool turns once
                Reservation other = ring.reserve(16);
                other.putLong(0, -1).putLong(8, -1);
                other.commit();
            }
            Reservation newer = ring.reserve(16);
            newer.putLong(0, i); // half written...
            try {
                stale.commit(); // ...when the stale reference is used again
            } catch (IllegalStateException expected) {
                detected++;
            }
            newer.putLong(8, i).commit();
            ring.consume(record -> seen.add(new long[] {record.getLong(0), record.getLong(8)}));
        }
        assertThat(detected).as("stale double commits detected").isEqualTo(1_000);
        assertThat(seen).hasSize(1_000 * (ReservationPool.SLOTS + 1))
                .allSatisfy(pair -> assertThat(pair[1]).as("never half written").isEqualTo(pair[0]));
    }

    @Test
    void onlyAClosedObjectIsReArmed() {
        RingBuffer ring = ring(4096);
        Reservation committedOnly = ring.reserve(8).putLong(0, 1);
        committedOnly.commit();
        Reservation closed;
        try (Reservation r = ring.reserve(8)) {
            r.putLong(0, 2).commit();
            closed = r;
        }
        List<Reservation> later = new ArrayList<>();
        for (int i = 0; i < 4 * ReservationPool.SLOTS; i++) {
            try (Reservation r = ring.reserve(8)) {
                r.putLong(0, 3).commit();
                later.add(r);
            }
        }
        assertThat(later).as("a committed, never closed object is never handed out again")
                .doesNotContain(committedOnly).contains(closed);
        assertThatThrownBy(committedOnly::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void doubleCommitOfAReusedObjectThrowsAndLeavesTheRingIntact() {
        RingBuffer ring = ring(4096);
        for (int i = 0; i < 3 * ReservationPool.SLOTS; i++) { // more reservations than slots
            Reservation r = ring.reserve(8).putLong(0, i);
            r.commit();
            assertThatThrownBy(r::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("position " + (16L * i));
            assertThat(r.isLive()).isFalse();
        }
        List<Long> seen = consumeLongs(ring);
        assertThat(seen).hasSize(3 * ReservationPool.SLOTS);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(3L * ReservationPool.SLOTS - 1);
        assertThat(ring.discardedRecords()).isZero();
    }

    @Test
    void nestedReservationsOnOneThreadAreIndependent() {
        RingBuffer ring = ring(4096);
        List<Reservation> open = new ArrayList<>();
        for (int i = 0; i < ReservationPool.SLOTS + 2; i++) { // more than the pool: the extra ones are new objects
            open.add(ring.reserve(8).putLong(0, i));
        }
        assertThat(open).doesNotHaveDuplicates();
        for (int i = open.size() - 1; i >= 0; i--) { // reserve A, reserve B, commit B, commit A
            assertThat(open.get(i).isLive()).isTrue();
            open.get(i).commit();
        }
        assertThat(consumeLongs(ring)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aLiveReservationIsNeverHandedOutAgain() {
        RingBuffer ring = ring(4096);
        Reservation held = ring.reserve(8).putLong(0, 100);
        for (int i = 0; i < 4 * ReservationPool.SLOTS; i++) {
            Reservation r = ring.reserve(8);
            assertThat(r).isNotSameAs(held);
            r.putLong(0, i).commit();
        }
        assertThat(held.isLive()).isTrue();
        assertThat(held.position()).isZero();
        held.commit();
        assertThat(consumeLongs(ring)).hasSize(1 + 4 * ReservationPool.SLOTS).startsWith(100L, 0L);
    }

    @Test
    void tryWithResourcesStillDiscardsOnlyALiveReservation() {
        RingBuffer ring = ring(4096);
        for (int i = 0; i < 2 * ReservationPool.SLOTS; i++) {
            try (Reservation r = ring.reserve(8)) {
                r.putLong(0, i);
                if (i % 2 == 0) {
                    r.commit();
                }
            }
        }
        assertThat(consumeLongs(ring)).containsExactly(0L, 2L, 4L, 6L);
        assertThat(ring.discardedRecords()).isEqualTo(ReservationPool.SLOTS);
    }

    @Test
    void oneThreadsPoolServesEveryRingItWritesTo() {
        RingBuffer a = ring(4096);
        RingBuffer b = ring(4096);
        Reservation inA = a.reserve(8).putLong(0, 1);
        Reservation inB = b.reserve(8).putLong(0, 2);
        assertThat(inA).isNotSameAs(inB);
        inB.commit();
        inA.commit();
        for (int i = 0; i < 2 * ReservationPool.SLOTS; i++) {
            (i % 2 == 0 ? a : b).reserve(8).putLong(0, 10 + i).commit();
        }
        assertThat(consumeLongs(a)).containsExactly(1L, 10L, 12L, 14L, 16L);
        assertThat(consumeLongs(b)).containsExactly(2L, 11L, 13L, 15L, 17L);
    }

    @Test
    void aReservationHandedToAnotherThreadIsFinishedThere() throws InterruptedException {
        RingBuffer ring = ring(1 << 16);
        BlockingQueue<Reservation> handOver = new ArrayBlockingQueue<>(8);
        final int records = 2_000;
        Thread finisher = new Thread(() -> {
            try {
                for (int i = 0; i < records; i++) {
                    handOver.take().commit();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "finisher");
        finisher.start();
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            Reservation r = ring.reserve(8);
            assertThat(r).isNotNull();
            r.putLong(0, i);
            assertThat(handOver.offer(r, 10, TimeUnit.SECONDS)).isTrue();
            ring.consume(record -> seen.add(record.getLong(0)));
        }
        finisher.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(finisher.isAlive()).isFalse();
        ring.consume(record -> seen.add(record.getLong(0)));
        assertThat(seen).hasSize(records);
        for (int i = 0; i < records; i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
    }

    @Test
    void threadsThatShareAPoolCacheEntryNeverShareAPool() throws InterruptedException {
        // More producer threads than the ring's cache of pools has entries: some map to the same entry.
        final int threads = 96;
        final int perThread = 200;
        RingBuffer ring = ring(1 << 19);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final long id = t;
            Thread producer = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        try (Reservation r = ring.reserve(8)) {
                            r.putLong(0, id << 32 | i);
                            r.commit();
                            assertThatThrownBy(r::commit).isInstanceOf(IllegalStateException.class);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + t);
            producer.start();
            producers.add(producer);
        }
        start.countDown();
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(producer.isAlive()).isFalse();
        }
        assertThat(failure.get()).isNull();
        long[] next = new long[threads];
        assertThat(ring.consume(record -> {
            long value = record.getLong(0);
            int thread = (int) (value >>> 32);
            assertThat(value & 0xFFFF_FFFFL).as("producer %d in order", thread).isEqualTo(next[thread]);
            next[thread]++;
        })).isEqualTo(threads * perThread);
        assertThat(ring.discardedRecords()).isZero();
    }
}
