package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The consumer frees (zeroes) space while a producer claims that very space, after the ring wraps, and writes into
 * it. Freeing zeroes the space first and then releases the consumer position; a producer acquires that position
 * before it writes. Were the order broken, the zeroes could land on top of the new record's header or payload.
 */
public final class WrapZeroingTest {

    private WrapZeroingTest() {
    }

    /**
     * The consumer frees (zeroes) space in a 64-byte ring while a producer claims that very space and writes into it.
     *
     * <p>Set-up, positions in bytes: an empty record at [0, 8) is consumed, then A (id 1, 24 bytes, [8, 40)) and B
     * (id 2, 16 bytes, [40, 64)) are committed: 56 bytes in use, the most a 64-byte ring holds. The consumer actor
     * delivers A (zeroing [8, 40), consumer position 40), then B (zeroing [40, 64), position 64). The producer actor
     * reserves P1 (empty, [64, 72): offsets 0..8) and then P2 (id 3, 16 bytes, [72, 96): offsets 8..32, exactly where
     * A's header and payload were). Each reservation succeeds only once the consumer has freed enough space; the
     * producer writes P2's header and payload where the consumer's zeroes of A went. Results: the records the consumer
     * actor delivered whole, the producer's successes (bit 1: P1, bit 2: P2), and the producer records delivered whole
     * afterwards (same bits; 4 = something corrupt or unexpected).
     */
    @JCStressTest
    @Description("Race of the consumer's zeroing of freed space against a producer's header and payload writes into "
            + "that space after the ring wraps: the consumer zeroes, then releases its position; the producer acquires "
            + "it before writing. The new records are delivered intact: the zeroing never lands on top of them.")
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "no space freed yet when the producer tried: both full")
    @Outcome(id = "2, 2, 2", expect = ACCEPTABLE, desc = "P1 found no space, P2 (at offset 0) did: delivered whole")
    @Outcome(id = "2, 3, 3", expect = ACCEPTABLE, desc = "both reserved after A was freed: delivered whole")
    @Outcome(expect = FORBIDDEN, desc = "a record zeroed, torn or lost, or space reserved before it was freed")
    @State
    public static class TinyRing {

        private final RingBuffer ring = RingBuffer.builder().capacity(64).maxRecordSize(24).build();

        /** Builds the state described above. */
        public TinyRing() {
            ring.output(new byte[0]);
            ring.consume(record -> { });
            final Reservation a = ring.reserve(24);
            Payloads.write(a, 1);
            a.commit();
            final Reservation b = ring.reserve(16);
            Payloads.write(b, 2);
            b.commit();
        }

        /**
         * The consumer frees A, then B.
         *
         * @param r r1 = records delivered whole (A, then B)
         */
        @Actor
        public void consumer(III_Result r) {
            final int[] intact = new int[1];
            ring.consume(record -> intact[0] += Payloads.id(record) == 1 ? 1 : 100, 1);
            ring.consume(record -> intact[0] += Payloads.id(record) == 2 ? 1 : 100, 1);
            r.r1 = intact[0];
        }

        /**
         * The producer claims space as it is freed.
         *
         * @param r r2 = bit 1 if P1 was reserved, bit 2 if P2 was
         */
        @Actor
        public void producer(III_Result r) {
            int reserved = 0;
            final Reservation p1 = ring.reserve(0);
            if (p1 != null) {
                p1.commit();
                reserved |= 1;
            }
            final Reservation p2 = ring.reserve(16);
            if (p2 != null) {
                Payloads.write(p2, 3);
                p2.commit();
                reserved |= 2;
            }
            r.r2 = reserved;
        }

        /**
         * After both: deliver the producer's records.
         *
         * @param r r3 = bit 1 if P1 was delivered whole, bit 2 if P2 was, 4 if anything else came out
         */
        @Arbiter
        public void check(III_Result r) {
            final int[] delivered = new int[1];
            ring.consume(record -> {
                if (record.length() == 0 && (delivered[0] & 3) == 0) {
                    delivered[0] |= 1;
                } else if (Payloads.id(record) == 3 && (delivered[0] & 2) == 0) {
                    delivered[0] |= 2;
                } else {
                    delivered[0] |= 4;
                }
            });
            r.r3 = delivered[0];
        }
    }

    /**
     * The same race with a long zeroing: a 4 KiB ring whose consumer frees a 2 KiB record while the producer claims
     * that space for a record P1 (payload over the freed bytes, last word written first) and an empty record P2
     * whose header lands at the far end of the freed bytes, which the consumer zeroes last.
     *
     * <p>Positions: an empty record at [0, 8) is consumed; A (2040 bytes of payload, [8, 2056)) and B (2032 bytes,
     * [2056, 4096)) are committed, filling the ring. The consumer actor delivers A and zeroes [8, 2056). The producer
     * reserves P1 (2032 bytes, [4096, 6136): offsets 0..2040) and P2 (empty, [6136, 6144): offset 2040); both fit
     * only once A is freed. Results: 1 if the consumer delivered A whole, the producer's successes (bit 1: P1, bit 2:
     * P2), and the records delivered whole afterwards (bit 1: P1, bit 2: P2, 4: anything else, B must come first).
     */
    @JCStressTest
    @Description("Race of the consumer's zeroing of a freed 2 KiB record against a producer's writes into that "
            + "space: the new records' header and payload land where the zeroing ends, so a consumer that released "
            + "its position before zeroing would wipe them. They are delivered intact.")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "no space freed yet when the producer tried: both full")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "P1 found no space; P2 (at offset 0) did: delivered whole")
    @Outcome(id = "1, 3, 3", expect = ACCEPTABLE, desc = "both reserved after A was freed: delivered whole")
    @Outcome(expect = FORBIDDEN, desc = "a record zeroed, torn or lost, or space reserved before it was freed")
    @State
    public static class LongZeroing {
        private static final int CAPACITY = 4096;
        private static final int A_SIZE = 2040;
        private static final int B_SIZE = 2032;
        private static final int P1_SIZE = 2032;

        private final RingBuffer ring = RingBuffer.builder().capacity(CAPACITY).maxRecordSize(A_SIZE).build();

        /** Builds the state described above. */
        public LongZeroing() {
            ring.output(new byte[0]);
            ring.consume(record -> { });
            final Reservation a = ring.reserve(A_SIZE);
            mark(a, 1);
            a.commit();
            final Reservation b = ring.reserve(B_SIZE);
            mark(b, 2);
            b.commit();
        }

        /** Writes the last payload word first (the far end of the space), then the first. */
        private static void mark(Reservation reservation, int id) {
            reservation.putLong(reservation.length() - 8, Payloads.MAGIC + id).putLong(0, Payloads.MAGIC - id);
        }

        private static boolean marked(Record record, int length, int id) {
            return record.length() == length && record.getLong(length - 8) == Payloads.MAGIC + id
                    && record.getLong(0) == Payloads.MAGIC - id;
        }

        /**
         * The consumer frees A.
         *
         * @param r r1 = 1 if A was delivered whole
         */
        @Actor
        public void consumer(III_Result r) {
            final int[] intact = new int[1];
            ring.consume(record -> intact[0] = marked(record, A_SIZE, 1) ? 1 : 100, 1);
            r.r1 = intact[0];
        }

        /**
         * The producer claims the space as it is freed.
         *
         * @param r r2 = bit 1 if P1 was reserved, bit 2 if P2 was
         */
        @Actor
        public void producer(III_Result r) {
            int reserved = 0;
            final Reservation p1 = ring.reserve(P1_SIZE);
            if (p1 != null) {
                mark(p1, 3);
                p1.commit();
                reserved |= 1;
            }
            final Reservation p2 = ring.reserve(0);
            if (p2 != null) {
                p2.commit();
                reserved |= 2;
            }
            r.r2 = reserved;
        }

        /**
         * After both: deliver B and the producer's records.
         *
         * @param r r3 = bit 1 if P1 was delivered whole, bit 2 if P2 was, 4 if anything else came out
         */
        @Arbiter
        public void check(III_Result r) {
            final int[] delivered = new int[1];
            ring.consume(record -> {
                if (delivered[0] == 0 && marked(record, B_SIZE, 2)) {
                    delivered[0] = 8;
                } else if (delivered[0] == 8 && marked(record, P1_SIZE, 3)) {
                    delivered[0] |= 1;
                } else if ((delivered[0] & ~1) == 8 && record.length() == 0) {
                    delivered[0] |= 2;
                } else {
                    delivered[0] |= 4;
                }
            });
            r.r3 = delivered[0] == 8 + (delivered[0] & 3) ? delivered[0] & 3 : 4;
        }
    }
}
