package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Records A (id 1) and B (id 2) are reserved in that order, written, and committed in the opposite order while the
 * consumer consumes. Results: the ids the racing consumer delivered, in order (digits), then the ids a consume after
 * all actors delivered. Reservation order is delivery order: B never comes out before A.
 */
public final class OutOfOrderCommitTest {

    private OutOfOrderCommitTest() {
    }

    /** The ring and the two reservations, made in order in the constructor. */
    abstract static class TwoReservations {
        final RingBuffer ring = RingBuffer.allocate(256);
        final Reservation a = ring.reserve(Payloads.SIZE);
        final Reservation b = ring.reserve(Payloads.SIZE);

        TwoReservations() {
            Payloads.write(a, 1);
            Payloads.write(b, 2);
        }

        int consume() {
            final int[] sequence = new int[1];
            ring.consume(record -> sequence[0] = sequence[0] * 10 + Payloads.id(record));
            return sequence[0];
        }
    }

    /**
     * Three actors: B's producer, A's producer and the consumer, all concurrent. Needs 3 CPUs: jcstress does not run
     * it on fewer (the {@link TwoActors} variant covers the same race on 2).
     */
    @JCStressTest
    @Description("Race of out-of-order commits against consume (head-of-line blocking): B is committed while A, "
            + "reserved before it, may still be busy. The consumer stops at the first busy record, so it never "
            + "delivers B without A before it, and nothing is lost.")
    @Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "consumer first: A was busy, it delivered nothing")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "A was committed, B still busy: it delivered A")
    @Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "both committed: it delivered A then B")
    @Outcome(expect = FORBIDDEN, desc = "B before A, a lost or repeated record, or a corrupt one")
    @State
    public static class ThreeActors extends TwoReservations {

        /** Commits B, the later reservation. */
        @Actor
        public void commitB() {
            b.commit();
        }

        /** Commits A, the earlier reservation. */
        @Actor
        public void commitA() {
            a.commit();
        }

        /**
         * Consumer.
         *
         * @param r r1 = the ids it delivered
         */
        @Actor
        public void consumer(II_Result r) {
            r.r1 = consume();
        }

        /**
         * After all.
         *
         * @param r r2 = the ids left to deliver
         */
        @Arbiter
        public void rest(II_Result r) {
            r.r2 = consume();
        }
    }

    /** Two actors, so that it runs on 2 CPUs: B's producer commits B and then consumes, racing A's producer. */
    @JCStressTest
    @Description("Race of out-of-order commits against consume, on 2 CPUs: one actor commits B and then consumes "
            + "while the other commits A. B is committed when the consumer looks, A maybe not: the consumer "
            + "delivers A then B, or nothing; never B alone or B before A.")
    @Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "A was still busy: the consumer delivered nothing")
    @Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "A was committed: the consumer delivered A then B")
    @Outcome(expect = FORBIDDEN, desc = "B before or without A, a lost or repeated record, or a corrupt one")
    @State
    public static class TwoActors extends TwoReservations {

        /**
         * Commits B, the later reservation, then consumes.
         *
         * @param r r1 = the ids it delivered
         */
        @Actor
        public void commitBThenConsume(II_Result r) {
            b.commit();
            r.r1 = consume();
        }

        /** Commits A, the earlier reservation. */
        @Actor
        public void commitA() {
            a.commit();
        }

        /**
         * After both.
         *
         * @param r r2 = the ids left to deliver
         */
        @Arbiter
        public void rest(II_Result r) {
            r.r2 = consume();
        }
    }
}
