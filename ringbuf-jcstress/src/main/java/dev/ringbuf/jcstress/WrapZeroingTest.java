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
import org.openjdk.jcstress.infra.results.III_Result;

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
public class WrapZeroingTest {

    private final RingBuffer ring = RingBuffer.builder().capacity(64).maxRecordSize(24).build();

    /** Builds the state described above. */
    public WrapZeroingTest() {
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
