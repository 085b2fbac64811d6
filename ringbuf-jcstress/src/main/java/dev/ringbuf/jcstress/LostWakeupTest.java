package dev.ringbuf.jcstress;

import java.time.Duration;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.core.WakeupListener;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The lost-wakeup race. The consumer reaches a busy record, publishes its read position, fences and looks again;
 * the producer publishes the committed header, fences and reads the read position. With both fences one of them
 * sees the other: the consumer sees the commit, or the producer sees that the consumer caught up and wakes it. A
 * consumer that stopped at the record while its producer did not wake it would sleep on a committed record.
 */
public final class LostWakeupTest {

    private LostWakeupTest() {
    }

    /** A ring with record A committed (without a wakeup) and a wakeup listener that counts. */
    abstract static class CommittedA implements WakeupListener {
        final RingBuffer ring = RingBuffer.allocate(256);
        /** Written on the producer's thread, read by the arbiter after it. */
        int wakeups;

        CommittedA() {
            final Reservation a = ring.reserve(Payloads.SIZE);
            Payloads.write(a, 1);
            a.commit(Wakeup.NONE);
            ring.setWakeupListener(this);
        }

        @Override
        public void onWakeup() {
            wakeups++;
        }

        int consume() {
            return ring.consume(record -> {
                if (Payloads.id(record) == Payloads.CORRUPT) {
                    throw new IllegalStateException("corrupt record at " + record.position());
                }
            });
        }
    }

    /** The case: B is reserved (busy) after A before the race starts. */
    @JCStressTest
    @Description("Lost wakeup: the consumer delivers A and stops at busy B (publishes its read position, fences, "
            + "rechecks) while B's producer commits with Wakeup.DEFAULT (publishes the header, fences, reads the "
            + "read position). If the consumer stopped at B, the producer must have woken it. r2 is what "
            + "isRecordReady() (awaitData's check) says after the consume.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "stopped at busy B; the commit woke it")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "stopped at busy B, saw it committed afterwards; woken")
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "saw B committed, delivered both; no wakeup needed")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "saw B committed after publishing its read position: a spurious wakeup, harmless")
    @Outcome(id = {"1, 0, 0", "1, 1, 0"}, expect = FORBIDDEN,
            desc = "LOST WAKEUP: the consumer stopped at B and the commit did not wake it")
    @Outcome(expect = FORBIDDEN, desc = "a lost, repeated or corrupt record, or more than one wakeup")
    @State
    public static class ReservedBefore extends CommittedA {
        private final Reservation b = ring.reserve(Payloads.SIZE);

        ReservedBefore() {
            Payloads.write(b, 2);
        }

        /**
         * The consumer: consume, then the check awaitData makes before it parks.
         *
         * @param r r1 = records delivered, r2 = 1 if isRecordReady() afterwards
         */
        @Actor
        public void consumer(III_Result r) {
            r.r1 = consume();
            r.r2 = ring.isRecordReady() ? 1 : 0;
        }

        /** B's producer commits it. */
        @Actor
        public void producer() {
            b.commit(Wakeup.DEFAULT);
        }

        /**
         * After both.
         *
         * @param r r3 = wakeups the listener saw
         */
        @Arbiter
        public void wakeups(III_Result r) {
            r.r3 = wakeups;
        }
    }

    /** B is reserved during the race too: the consumer may meet B's claimed space before its header is written. */
    @JCStressTest
    @Description("Lost wakeup with the reservation inside the race: the consumer may stop at the end of the data, "
            + "at B's claimed but unwritten (zero) header, or at its busy header; in every case the DEFAULT commit "
            + "of B must wake a consumer that stopped at it.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "stopped where B is; the commit woke it")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "stopped where B is, saw it committed afterwards; woken")
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "saw B committed, delivered both; no wakeup needed")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "saw B committed after publishing its read position: a spurious wakeup, harmless")
    @Outcome(id = {"1, 0, 0", "1, 1, 0"}, expect = FORBIDDEN,
            desc = "LOST WAKEUP: the consumer stopped where B is and the commit did not wake it")
    @Outcome(expect = FORBIDDEN, desc = "a lost, repeated or corrupt record, or more than one wakeup")
    @State
    public static class ReservedDuring extends CommittedA {

        /**
         * The consumer: consume, then the check awaitData makes before it parks.
         *
         * @param r r1 = records delivered, r2 = 1 if isRecordReady() afterwards
         */
        @Actor
        public void consumer(III_Result r) {
            r.r1 = consume();
            r.r2 = ring.isRecordReady() ? 1 : 0;
        }

        /** B's producer reserves, writes and commits it. */
        @Actor
        public void producer() {
            final Reservation b = ring.reserve(Payloads.SIZE);
            Payloads.write(b, 2);
            b.commit(Wakeup.DEFAULT);
        }

        /**
         * After both.
         *
         * @param r r3 = wakeups the listener saw
         */
        @Arbiter
        public void wakeups(III_Result r) {
            r.r3 = wakeups;
        }
    }

    /** B is discarded instead: a discard takes the same wakeup, so that a consumer waiting at it moves on. */
    @JCStressTest
    @Description("Lost wakeup on discard: the consumer delivers A and stops at busy B, or passes B once it is "
            + "discarded; a DEFAULT discard must wake a consumer that stopped at B (its read position is B's).")
    @Outcome(id = "24, 1", expect = ACCEPTABLE, desc = "stopped at busy B; the discard woke it")
    @Outcome(id = "48, 0", expect = ACCEPTABLE, desc = "saw B discarded and skipped it; no wakeup needed")
    @Outcome(id = "48, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "saw B discarded after publishing its read position: a spurious wakeup, harmless")
    @Outcome(id = "24, 0", expect = FORBIDDEN, desc = "LOST WAKEUP: stopped at B and the discard did not wake it")
    @Outcome(expect = FORBIDDEN, desc = "a wrong read position, or more than one wakeup")
    @State
    public static class Discard extends CommittedA {
        private final Reservation b = ring.reserve(Payloads.SIZE);

        /**
         * The consumer.
         *
         * @param r r1 = its read position afterwards (24: at B; 48: past B)
         */
        @Actor
        public void consumer(II_Result r) {
            if (consume() != 1) {
                throw new IllegalStateException("A must be delivered, and B never");
            }
            r.r1 = (int) ring.readPosition();
        }

        /** B's producer discards it. */
        @Actor
        public void producer() {
            b.discard(Wakeup.DEFAULT);
        }

        /**
         * After both.
         *
         * @param r r2 = wakeups the listener saw
         */
        @Arbiter
        public void wakeups(II_Result r) {
            r.r2 = wakeups;
        }
    }

    /**
     * The same race for a consumer blocked in {@code awaitData}: it registers as the waiter, fences and looks at the
     * header once more before it parks; the committing producer fences and unparks the waiter it sees.
     */
    @JCStressTest
    @Description("Lost wakeup in awaitData: the consumer, caught up at busy B, parks in awaitData (waiter, fence, "
            + "recheck, park) while B's producer commits with Wakeup.DEFAULT (header, fence, read position and "
            + "waiter, unpark). awaitData must return true before its timeout: returning only when the "
            + "timeout ran out means the commit's wakeup was lost.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "awaitData saw B committed, or was woken by the commit")
    @Outcome(id = "1, 1", expect = FORBIDDEN,
            desc = "LOST WAKEUP: awaitData returned only after its whole timeout (or the thread stalled that long)")
    @Outcome(expect = FORBIDDEN, desc = "awaitData timed out without seeing the committed record")
    @State
    public static class AwaitData {
        /** Long enough that only a lost wakeup, not a slow machine, makes awaitData wait it out. */
        private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

        private final RingBuffer ring = RingBuffer.allocate(256);
        private final Reservation b = ring.reserve(Payloads.SIZE);

        /**
         * The consumer waits for B (bounded).
         *
         * @param r r1 = 1 if awaitData returned true, r2 = 1 if it returned only after its whole timeout
         */
        @Actor
        public void consumer(II_Result r) {
            final long start = System.nanoTime();
            try {
                r.r1 = ring.awaitData(Duration.ofNanos(TIMEOUT_NANOS)) ? 1 : 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            r.r2 = System.nanoTime() - start >= TIMEOUT_NANOS ? 1 : 0;
        }

        /** B's producer commits it. */
        @Actor
        public void producer() {
            b.commit(Wakeup.DEFAULT);
        }
    }
}
