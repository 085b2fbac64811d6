package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.SharedRegionRings;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * In every kind that abandons (a ring file, and an in-process ring with a stall timeout, which share
 * {@code LapTaggedHeaders}), a producer commits its busy record while the consumer, whose stall timeout has passed,
 * abandons it.
 * Results: 1 if the commit succeeded (0 if it learned, at a write or at the commit, that its record was abandoned),
 * whole records the two consumes delivered, records counted abandoned, and 1 if a record written after the race is
 * delivered intact.
 */
public final class CommitVersusAbandonTest {

    private CommitVersusAbandonTest() {
    }

    /** The race, over a ring whose consumer abandons a busy record at its second look (stall timeout 0). */
    abstract static class Race {
        private final RingBuffer ring;
        private final Reservation reservation;
        private int delivered;

        Race(RingBuffer ring) {
            this.ring = ring;
            this.reservation = ring.reserve(Payloads.SIZE);
        }

        /**
         * The producer commits the record it reserved before the race.
         *
         * @param r r1 = 1 if the commit succeeded
         */
        final void commit(IIII_Result r) {
            try {
                Payloads.write(reservation, 1); // checked writes: they fail once the record was abandoned
                reservation.commit();
                r.r1 = 1;
            } catch (IllegalStateException abandoned) {
                r.r1 = 0;
            }
        }

        /** The consumer, its stall timeout 0: a busy record seen twice is abandoned. */
        final void consume() {
            delivered += ring.consume(record -> {
                if (Payloads.id(record) != 1) {
                    throw new AssertionError("torn record");
                }
            });
        }

        /**
         * After both.
         *
         * @param r r2 = records delivered in all, r3 = records abandoned, r4 = 1 if the ring still carries a record
         */
        final void check(IIII_Result r) {
            delivered += ring.consume(record -> { });
            r.r2 = delivered;
            r.r3 = (int) ring.abandonedRecords();
            final Reservation after = ring.reserve(Payloads.SIZE);
            Payloads.write(after, 2);
            after.commit();
            final int[] intact = new int[1];
            ring.consume(record -> intact[0] += Payloads.id(record) == 2 ? 1 : 100);
            r.r4 = intact[0];
            ring.close();
        }
    }

    /** A ring file (handles over a shared region). */
    @JCStressTest
    @Description("Ring file: the producer's commit (a CAS from its own tagged busy header) races with the consumer's "
            + "abandonment (a CAS from the same busy header to discarded). Exactly one wins: a committed record is "
            + "delivered once and not counted abandoned; an abandoned one is never delivered, is counted once, and "
            + "its producer's commit fails; either way the ring goes on.")
    @Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "commit won: delivered once, nothing abandoned")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "abandon won: the commit failed, counted abandoned once")
    @Outcome(expect = FORBIDDEN, desc = "both won, neither did, a record delivered twice or torn, or the ring wedged")
    @State
    public static class RingFile extends Race {
        /** A ring file handle. */
        public RingFile() {
            super(new SharedRegionRings(256, 64, 0).handle(true));
        }

        /** @param r see {@link Race#commit} */
        @Actor
        public void producer(IIII_Result r) {
            commit(r);
        }

        /** See {@link Race#consume}. */
        @Actor
        public void consumer() {
            consume();
        }

        /** @param r see {@link Race#check} */
        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    /** An in-process ring with a stall timeout: the same header discipline, in process memory. */
    @JCStressTest
    @Description("In-process ring with a stall timeout: the producer's checked writes and commit race with the "
            + "consumer's abandonment, as in a ring file.")
    @Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "commit won: delivered once, nothing abandoned")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "abandon won: the commit failed, counted abandoned once")
    @Outcome(expect = FORBIDDEN, desc = "both won, neither did, a record delivered twice or torn, or the ring wedged")
    @State
    public static class InProcessStallTimeout extends Race {
        /** An in-process stall-timeout ring. */
        public InProcessStallTimeout() {
            super(new SharedRegionRings(256, 64, 0).inProcessStallTimeout());
        }

        /** @param r see {@link Race#commit} */
        @Actor
        public void producer(IIII_Result r) {
            commit(r);
        }

        /** See {@link Race#consume}. */
        @Actor
        public void consumer() {
            consume();
        }

        /** @param r see {@link Race#check} */
        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
