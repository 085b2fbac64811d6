package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.SharedRegionRings;
import dev.ringbuf.core.SpaceWaiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The producer-side lost-wakeup race, the mirror of {@link LostWakeupTest}: a producer waits for space in a full ring
 * ({@code reserve(size, timeout)}: it publishes itself as a waiter, fences, looks at the consumer position once more,
 * parks) while the consumer frees the space (publishes its consumer position, fences, reads the waiters word and
 * unparks only if it is not zero). With both fences one sees the other: the waiter sees the space, or the consumer
 * sees the waiter and wakes it. A waiter that slept through the freeing would wait out its whole timeout.
 */
public final class SpaceWakeupTest {

    private SpaceWakeupTest() {
    }

    /** Long enough that only a lost wakeup, not a slow machine, makes the waiter wait it out. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A 256-byte ring holding 240 bytes of committed records: a 16-byte record does not fit until they are freed. */
    abstract static class FullRing {
        final RingBuffer ring;

        FullRing() {
            this(RingBuffer.builder().capacity(256).maxRecordSize(128).build());
        }

        FullRing(RingBuffer ring) {
            this.ring = ring;
            if (!ring.output(new byte[128]) || !ring.output(new byte[96]) || ring.output(new byte[8])) {
                throw new IllegalStateException("the ring must be full for an 8-byte record");
            }
        }

        /**
         * The waiting producer: waits (bounded) for 8 bytes.
         *
         * @param r r1 = 1 if it got its reservation, r2 = 1 if it returned only after its whole timeout
         */
        void waitForSpace(II_Result r) {
            final long start = System.nanoTime();
            try {
                final Reservation reservation = ring.reserve(8, Duration.ofNanos(TIMEOUT_NANOS));
                r.r1 = reservation != null ? 1 : 0;
                if (reservation != null) {
                    reservation.commit();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            r.r2 = System.nanoTime() - start >= TIMEOUT_NANOS ? 1 : 0;
        }
    }

    /** The consumer frees the space while the producer starts waiting for it. */
    @JCStressTest
    @Description("Lost wakeup of a waiting producer: the consumer frees the full ring's space (consumer position, "
            + "fence, waiters word, unpark) while a producer waits for 8 bytes (waiter, fence, consumer position, "
            + "park). The producer must get its reservation before its timeout.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "saw the space at once, or was woken by the consumer")
    @Outcome(id = "1, 1", expect = FORBIDDEN,
            desc = "LOST WAKEUP: got the space only when its timeout ran out (or the thread stalled that long)")
    @Outcome(expect = FORBIDDEN, desc = "the waiting producer gave up although the space was freed")
    @State
    public static class ConsumerFrees extends FullRing {

        /** The consumer frees both records. */
        @Actor
        public void consumer() {
            if (ring.consume(record -> { }) != 2) {
                throw new IllegalStateException("both records must be delivered");
            }
        }

        /**
         * The waiting producer.
         *
         * @param r see {@link FullRing#waitForSpace}
         */
        @Actor
        public void producer(II_Result r) {
            waitForSpace(r);
        }
    }

    /** The stream ends while the producer starts waiting: the end must wake it too. */
    @JCStressTest
    @Description("End of stream vs a waiting producer: endStream (closed bit, then every waiter unparked) while a "
            + "producer waits for space in the full ring. The producer must give up (closed) before its timeout.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "saw the end at once, or was woken by it")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "LOST WAKEUP: saw the end only when its timeout ran out")
    @Outcome(expect = FORBIDDEN, desc = "a reservation in a full, closed ring")
    @State
    public static class StreamEnds extends FullRing {

        /** The owner ends the stream. */
        @Actor
        public void closer() {
            ring.endStream();
        }

        /**
         * The waiting producer.
         *
         * @param r see {@link FullRing#waitForSpace}
         */
        @Actor
        public void producer(II_Result r) {
            waitForSpace(r);
        }
    }

    /** A ring file: the consumer of the same handle frees (its waiters are woken at once, the watcher aside). */
    @JCStressTest
    @Description("Ring file: the consumer frees the full ring's space while a producer of the same handle waits for "
            + "8 bytes. The producer must get its reservation before its timeout.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "saw the space at once, or was woken")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "LOST WAKEUP: got the space only when its timeout ran out")
    @Outcome(expect = FORBIDDEN, desc = "the waiting producer gave up although the space was freed")
    @State
    public static class RingFileConsumerFrees extends FullRing {
        /** A ring file handle over a shared region. */
        public RingFileConsumerFrees() {
            super(new SharedRegionRings(256, 128, Long.MAX_VALUE).handle(true));
        }

        /** The consumer frees both records. */
        @Actor
        public void consumer() {
            if (ring.consume(record -> { }) != 2) {
                throw new IllegalStateException("both records must be delivered");
            }
        }

        /** @param r see {@link FullRing#waitForSpace} */
        @Actor
        public void producer(II_Result r) {
            waitForSpace(r);
        }
    }

    /** An in-process ring with a stall timeout (never reached here). */
    @JCStressTest
    @Description("In-process ring with a stall timeout: the consumer frees the full ring's space while a producer "
            + "waits for 8 bytes. The producer must get its reservation before its timeout.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "saw the space at once, or was woken")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "LOST WAKEUP: got the space only when its timeout ran out")
    @Outcome(expect = FORBIDDEN, desc = "the waiting producer gave up although the space was freed")
    @State
    public static class InProcessStallTimeoutConsumerFrees extends FullRing {
        /** An in-process stall-timeout ring. */
        public InProcessStallTimeoutConsumerFrees() {
            super(new SharedRegionRings(256, 128, Long.MAX_VALUE).inProcessStallTimeout());
        }

        /** The consumer frees both records. */
        @Actor
        public void consumer() {
            if (ring.consume(record -> { }) != 2) {
                throw new IllegalStateException("both records must be delivered");
            }
        }

        /** @param r see {@link FullRing#waitForSpace} */
        @Actor
        public void producer(II_Result r) {
            waitForSpace(r);
        }
    }

    /**
     * An async waiter ({@link SpaceWaiter}, as the reactor's sender uses it) joins the queue while the consumer frees:
     * it claims at once, or its callback is called.
     */
    @JCStressTest
    @Description("Lost wakeup of an async waiter: the consumer frees the full ring's space while a SpaceWaiter tries "
            + "to claim 8 bytes (joins the queue, fence, looks at the space). It must claim at once or be called back.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "claimed at once")
    @Outcome(id = "1, 3", expect = ACCEPTABLE, desc = "claimed in its first call, which the consumer's free woke")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "queued, then called back, and its claim succeeded")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "LOST WAKEUP: queued and never called back")
    @Outcome(expect = FORBIDDEN, desc = "called back but could not claim, or claimed twice")
    @State
    public static class CallbackConsumerFrees extends FullRing {
        private volatile int called;
        private final SpaceWaiter waiter = ring.spaceWaiter(() -> called = 1);

        /** The consumer frees both records. */
        @Actor
        public void consumer() {
            if (ring.consume(record -> { }) != 2) {
                throw new IllegalStateException("both records must be delivered");
            }
        }

        /** @param r r1 = 1 if the first claim succeeded */
        @Actor
        public void producer(II_Result r) {
            final int offset = waiter.tryClaim(8);
            if (offset >= 0) {
                r.r1 = 1;
                ring.commit(offset);
            }
        }

        /** @param r r2 = 1 if it was called back and then claimed */
        @Arbiter
        public void arbiter(II_Result r) {
            if (r.r1 == 0 && called == 1) {
                final int offset = waiter.tryClaim(8);
                r.r2 = offset >= 0 ? 1 : 2;
            } else if (called == 1) {
                r.r2 = 3; // the consumer woke it during its first call, which then claimed
            }
        }
    }
}
