package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;

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
 * A producer writes a record's payload and commits it while the consumer consumes. Results: the id the racing
 * consumer delivered (0 = none, 9 = a corrupt record), then the id a consume after both delivered. One variant per
 * producer path: {@link Reservation}, the zero-allocation {@code claim}, and {@code output}.
 */
public final class CommitVisibilityTest {

    private CommitVisibilityTest() {
    }

    private static final int LENGTH = 32;

    /** Consumes one round; returns the id delivered, 0 for none. */
    static int consume(RingBuffer ring) {
        final int[] id = new int[1];
        ring.consume(record -> id[0] = id[0] * 10 + Payloads.id(record));
        return id[0];
    }

    /** The record committed through a {@link Reservation} reserved beforehand. */
    @JCStressTest
    @Description("Race of commit against consume (Reservation.commit): the header's release store publishes the "
            + "payload written before it, the consumer's acquire load of the header sees it. The consumer sees no "
            + "record or the whole payload, never a committed record with a stale one.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the consumer saw the commit: whole payload")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer came first and stopped at the busy record")
    @Outcome(expect = FORBIDDEN, desc = "a stale or torn payload, or a lost or repeated record")
    @State
    public static class ReservationCommit {
        private final RingBuffer ring = RingBuffer.allocate(256);
        private final Reservation reservation = ring.reserve(LENGTH);

        /** Producer: write, then commit. */
        @Actor
        public void producer() {
            Payloads.write(reservation, 1);
            reservation.commit();
        }

        /**
         * Consumer.
         *
         * @param r r1 = what it delivered
         */
        @Actor
        public void consumer(II_Result r) {
            r.r1 = consume(ring);
        }

        /**
         * After both.
         *
         * @param r r2 = what is left to deliver
         */
        @Arbiter
        public void rest(II_Result r) {
            r.r2 = consume(ring);
        }
    }

    /** The record committed through the zero-allocation {@code claim}/{@code commit(offset)} path. */
    @JCStressTest
    @Description("Race of commit against consume (claim + commit(offset)): the consumer sees no record or the "
            + "whole payload written into ring.buffer() before the commit, never a stale one.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the consumer saw the commit: whole payload")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer came first and stopped at the busy record")
    @Outcome(expect = FORBIDDEN, desc = "a stale or torn payload, or a lost or repeated record")
    @State
    public static class ClaimCommit {
        private final RingBuffer ring = RingBuffer.allocate(256);
        private final ByteBuffer buffer = ring.buffer();
        private final int offset = ring.claim(LENGTH);

        /** Producer: write into the ring's buffer, then commit the offset. */
        @Actor
        public void producer() {
            Payloads.write(buffer, offset, LENGTH, 1);
            ring.commit(offset);
        }

        /**
         * Consumer.
         *
         * @param r r1 = what it delivered
         */
        @Actor
        public void consumer(II_Result r) {
            r.r1 = consume(ring);
        }

        /**
         * After both.
         *
         * @param r r2 = what is left to deliver
         */
        @Arbiter
        public void rest(II_Result r) {
            r.r2 = consume(ring);
        }
    }

    /** The whole reserve-copy-commit of {@code output} races the consumer, which may meet a zero (free) header. */
    @JCStressTest
    @Description("Race of output (claim, busy header, copy, commit) against consume: the consumer may meet the "
            + "claimed space before its header is written (zero, treated like busy), the busy header, or the "
            + "committed record; it delivers nothing or the whole payload, never a stale one.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the consumer saw the commit: whole payload")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer came first and delivered nothing")
    @Outcome(expect = FORBIDDEN, desc = "a stale or torn payload, or a lost or repeated record")
    @State
    public static class Output {
        private static final byte[] PAYLOAD = Payloads.bytes(LENGTH, 1);
        private final RingBuffer ring = RingBuffer.allocate(256);

        /** Producer: output a copy. */
        @Actor
        public void producer() {
            ring.output(PAYLOAD);
        }

        /**
         * Consumer.
         *
         * @param r r1 = what it delivered
         */
        @Actor
        public void consumer(II_Result r) {
            r.r1 = consume(ring);
        }

        /**
         * After both.
         *
         * @param r r2 = what is left to deliver
         */
        @Arbiter
        public void rest(II_Result r) {
            r.r2 = consume(ring);
        }
    }
}
