package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.RingBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Overwrite mode: two producers claim at once in a full ring, each needing to overwrite one of the two records in it
 * (a 64-byte ring holds two 24-byte records). The claim lock serialises them: both succeed, each overwrites one old
 * record, and the consumer then finds exactly the two new records, whole, in claim order.
 */
@JCStressTest
@Description("Concurrent overwriting claims: both succeed, records 1 and 2 are overwritten (counted), 3 and 4 are "
        + "delivered whole; never a torn, lost or doubled record, never an overlap.")
@Outcome(id = "34, 2", expect = ACCEPTABLE, desc = "3 claimed first")
@Outcome(id = "43, 2", expect = ACCEPTABLE, desc = "4 claimed first")
@Outcome(expect = FORBIDDEN, desc = "a torn, lost, doubled or overlapping record, or a wrong count")
@State
public class OverwriteConcurrentClaimTest {

    private static final int LENGTH = Payloads.SIZE;
    private static final byte[] THIRD = Payloads.bytes(LENGTH, 3);
    private static final byte[] FOURTH = Payloads.bytes(LENGTH, 4);

    private final RingBuffer ring = OverwriteVersusReadTest.filled(RingBuffer.builder().capacity(64).maxRecordSize(32)
            .overwrite(true).build());

    /** Producer of record 3. */
    @Actor
    public void third() {
        ring.output(THIRD);
    }

    /** Producer of record 4. */
    @Actor
    public void fourth() {
        ring.output(FOURTH);
    }

    /**
     * After both.
     *
     * @param r ids delivered, overwritten count
     */
    @Arbiter
    public void rest(II_Result r) {
        r.r1 = OverwriteVersusReadTest.consume(ring, 0);
        r.r2 = (int) ring.overwrittenRecords();
    }
}
