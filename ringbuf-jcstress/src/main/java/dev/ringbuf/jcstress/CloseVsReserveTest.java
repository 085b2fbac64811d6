package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.DropReason;
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
 * A producer reserves, writes and commits while another thread closes the ring. Results: 1 if the reservation
 * succeeded, the records a consume after both delivered whole, the drops counted {@code closed}, and 1 if the ring
 * then reports closed and drained.
 */
@JCStressTest
@Description("Race of close() (sets the closed bit on the producer position) against reserve (CAS on that "
        + "position): the reservation either succeeds, and its committed record is still delivered after the close, "
        + "or fails and is counted as a 'closed' drop. Never both, never neither.")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "reserved before the close: committed and delivered")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "closed first: the reservation failed, counted 'closed'")
@Outcome(expect = FORBIDDEN, desc = "a reservation both failed and succeeded, neither, or a lost or corrupt record")
@State
public class CloseVsReserveTest {

    private final RingBuffer ring = RingBuffer.allocate(256);

    /**
     * Producer.
     *
     * @param r r1 = 1 if the reservation succeeded
     */
    @Actor
    public void producer(IIII_Result r) {
        final Reservation reservation = ring.reserve(Payloads.SIZE);
        if (reservation == null) {
            r.r1 = 0;
            return;
        }
        Payloads.write(reservation, 1);
        reservation.commit();
        r.r1 = 1;
    }

    /** Closes the ring. */
    @Actor
    public void closer() {
        ring.close();
    }

    /**
     * After both.
     *
     * @param r r2 = whole records delivered, r3 = drops counted closed, r4 = 1 if closed and drained
     */
    @Arbiter
    public void check(IIII_Result r) {
        final int[] intact = new int[1];
        ring.consume(record -> intact[0] += Payloads.id(record) == 1 ? 1 : 100);
        r.r2 = intact[0];
        r.r3 = (int) ring.droppedRecords(DropReason.CLOSED);
        r.r4 = ring.isClosedAndDrained() ? 1 : 0;
    }
}
