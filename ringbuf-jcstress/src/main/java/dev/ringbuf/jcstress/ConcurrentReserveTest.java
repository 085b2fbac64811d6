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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two producers reserve on a fresh ring at the same time. Results: the position each got, the producer position
 * afterwards, and the ids the consumer then delivers, in order (digits; 9 = a corrupt record).
 */
@JCStressTest
@Description("Race of two reservations: the CAS on the producer position must give each producer its own space. "
        + "Positions are distinct and do not overlap, the producer position is the sum of both record lengths, and "
        + "both records are delivered whole, in reservation order.")
@Outcome(id = "0, 24, 56, 12", expect = ACCEPTABLE, desc = "producer 1 reserved first")
@Outcome(id = "32, 0, 56, 21", expect = ACCEPTABLE, desc = "producer 2 reserved first")
@Outcome(expect = FORBIDDEN, desc = "overlapping or lost space, a wrong producer position, or a corrupt record")
@State
public class ConcurrentReserveTest {

    private final RingBuffer ring = RingBuffer.allocate(256);

    /**
     * Producer 1: a 16-byte record (24 bytes in the ring), id 1.
     *
     * @param r r1 = its position
     */
    @Actor
    public void producer1(IIII_Result r) {
        r.r1 = reserveAndCommit(16, 1);
    }

    /**
     * Producer 2: a 24-byte record (32 bytes in the ring), id 2.
     *
     * @param r r2 = its position
     */
    @Actor
    public void producer2(IIII_Result r) {
        r.r2 = reserveAndCommit(24, 2);
    }

    private int reserveAndCommit(int size, int id) {
        final Reservation reservation = ring.reserve(size);
        if (reservation == null) {
            return -1;
        }
        Payloads.write(reservation, id);
        reservation.commit();
        return (int) reservation.position();
    }

    /**
     * After both: the producer position, and what the consumer delivers.
     *
     * @param r r3 = producer position, r4 = ids delivered in order
     */
    @Arbiter
    public void check(IIII_Result r) {
        r.r3 = (int) ring.producerPosition();
        final int[] sequence = new int[1];
        ring.consume(record -> sequence[0] = sequence[0] * 10 + Payloads.id(record));
        r.r4 = sequence[0];
    }
}
