package dev.ringbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.SharedRegionRings;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Overwrite mode: a producer overwrites the oldest record while the consumer reads it. A 64-byte ring holds records 1
 * and 2 (24 bytes each); record 3 needs record 1's space. Results: the ids delivered, in order, by the racing consume
 * and a consume after both (9 = a torn record, or one that changed while its handler held it); records counted as
 * overwritten; records dropped as full.
 */
public final class OverwriteVersusReadTest {

    private OverwriteVersusReadTest() {
    }

    private static final int CAPACITY = 64;
    private static final int LENGTH = Payloads.SIZE;
    private static final byte[] THIRD = Payloads.bytes(LENGTH, 3);

    /** Fills the ring with records 1 and 2. */
    static RingBuffer filled(RingBuffer ring) {
        ring.output(Payloads.bytes(LENGTH, 1));
        ring.output(Payloads.bytes(LENGTH, 2));
        return ring;
    }

    /** Consumes, appending each id; an id that changes between the start and the end of its handler is 9. */
    static int consume(RingBuffer ring, int ids) {
        final int[] result = {ids};
        ring.consume(record -> {
            final int first = Payloads.id(record);
            final int last = Payloads.id(record);
            result[0] = result[0] * 10 + (first == last ? first : Payloads.CORRUPT);
        });
        return result[0];
    }

    /** In process memory. */
    @JCStressTest
    @Description("Overwrite versus read (in process): the consumer pins the overwrite position at the record it is "
            + "reading; a producer overwrites only records below it, and fails as full if the record being read is "
            + "in its way. Every record is delivered whole or counted overwritten (or its producer's output failed), "
            + "in order, never both, never twice.")
    @Outcome(id = "123, 0, 0", expect = ACCEPTABLE, desc = "the consumer read 1 (and 2) before the producer passed "
            + "record 1, or the consumer had finished: nothing overwritten unread")
    @Outcome(id = "23, 1, 0", expect = ACCEPTABLE, desc = "the producer overwrote record 1 first: skipped, counted")
    @Outcome(id = "12, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the producer found the record being read in "
            + "its way: its output failed as full, record 1 stayed intact")
    @Outcome(expect = FORBIDDEN, desc = "a torn or changed record, a record both delivered and counted overwritten, "
            + "a lost or repeated record")
    @State
    public static class InProcess {
        private final RingBuffer ring = filled(RingBuffer.builder().capacity(CAPACITY).maxRecordSize(32)
                .overwrite(true).build());
        private int delivered;

        /** Producer: record 3, which needs record 1's space. */
        @Actor
        public void producer() {
            ring.output(THIRD);
        }

        /** Consumer: reads what it can. */
        @Actor
        public void consumer() {
            delivered = consume(ring, 0);
        }

        /**
         * After both.
         *
         * @param r ids delivered, overwritten count, full drops
         */
        @Arbiter
        public void rest(III_Result r) {
            r.r1 = consume(ring, delivered);
            r.r2 = (int) ring.overwrittenRecords();
            r.r3 = (int) ring.droppedRecords(DropReason.FULL);
        }
    }

    /** The ring-file protocol (tagged headers, commit by CAS) over a shared region. */
    @JCStressTest
    @Description("Overwrite versus read over the ring-file protocol (lap-tagged headers, commit by CAS): as in "
            + "process.")
    @Outcome(id = "123, 0, 0", expect = ACCEPTABLE, desc = "nothing overwritten unread")
    @Outcome(id = "23, 1, 0", expect = ACCEPTABLE, desc = "the producer overwrote record 1 first: skipped, counted")
    @Outcome(id = "12, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the record being read stopped the producer")
    @Outcome(expect = FORBIDDEN, desc = "a torn or changed record, a record both delivered and counted overwritten, "
            + "a lost or repeated record")
    @State
    public static class RingFile {
        private final SharedRegionRings shared = new SharedRegionRings(CAPACITY, 32, Long.MAX_VALUE);
        private final RingBuffer consumerHandle = filled(shared.overwriteHandle(true));
        private final RingBuffer producerHandle = shared.overwriteHandle(false);
        private int delivered;

        /** Producer, on its own handle: record 3. */
        @Actor
        public void producer() {
            producerHandle.output(THIRD);
        }

        /** Consumer. */
        @Actor
        public void consumer() {
            delivered = consume(consumerHandle, 0);
        }

        /**
         * After both.
         *
         * @param r ids delivered, overwritten count, full drops (of the producer's handle)
         */
        @Arbiter
        public void rest(III_Result r) {
            r.r1 = consume(consumerHandle, delivered);
            r.r2 = (int) consumerHandle.overwrittenRecords();
            r.r3 = (int) producerHandle.droppedRecords(DropReason.FULL);
            producerHandle.close();
            consumerHandle.close(); // the owner: ends the stream and stops this state's consumer lease
        }
    }
}
