package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.DropReason;
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
 * One process closes the handle it opened a ring file with while another process's handle reserves and commits.
 * Results: 1 if the reservation succeeded, whole records delivered, drops counted {@code closed} by the reserving
 * handle, and 1 if the stream still goes on (not closed) for the reserving handle.
 */
@JCStressTest
@Description("Ring file: close() on a handle from open() detaches that process only. A reservation through another "
        + "handle, racing with it, always succeeds and is delivered; the stream never ends.")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "the other handle's record is unaffected by the close")
@Outcome(expect = FORBIDDEN, desc = "the close of an opener's handle ended or disturbed another process's stream")
@State
public class CloseHandleVersusReserveTest {

    private final SharedRegionRings shared = new SharedRegionRings(256, 64, Long.MAX_VALUE);
    private final RingBuffer owner = shared.handle(true);
    private final RingBuffer opener = shared.handle(false);
    private final RingBuffer producer = shared.handle(false);

    /**
     * Another process's producer.
     *
     * @param r r1 = 1 if the reservation succeeded
     */
    @Actor
    public void producer(IIII_Result r) {
        final Reservation reservation = producer.reserve(Payloads.SIZE);
        if (reservation == null) {
            r.r1 = 0;
            return;
        }
        Payloads.write(reservation, 1);
        reservation.commit();
        r.r1 = 1;
    }

    /** A process done with the ring closes its handle. */
    @Actor
    public void closer() {
        opener.close();
    }

    /**
     * After both.
     *
     * @param r r2 = whole records delivered, r3 = the producer's closed drops, r4 = 1 if the stream goes on
     */
    @Arbiter
    public void check(IIII_Result r) {
        final int[] intact = new int[1];
        owner.consume(record -> intact[0] += Payloads.id(record) == 1 ? 1 : 100);
        r.r2 = intact[0];
        r.r3 = (int) producer.droppedRecords(DropReason.CLOSED);
        r.r4 = producer.isClosed() || owner.isClosed() ? 0 : 1;
        producer.close();
        owner.close(); // the owner ends the stream and stops this state's consumer lease
    }
}
