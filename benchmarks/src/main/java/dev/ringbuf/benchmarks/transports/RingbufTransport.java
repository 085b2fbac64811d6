package dev.ringbuf.benchmarks.transports;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.nio.ByteBuffer;

/**
 * ringbuf: producers take the {@link Path} a row names, the consumer is {@code consume(handler)}.
 */
public final class RingbufTransport implements Transport {

    /** How producers write a record. */
    public enum Path {
        /** The README path: {@code reserve} + puts on the {@link Reservation} + {@code commit(wakeup)}. */
        RESERVE,
        /**
         * The README path with the reservation handed out by application code behind an interface: the call site
         * sees three implementations (megamorphic), so the JIT cannot inline it and the reservation escapes.
         */
        RESERVE_BEHIND_INTERFACE,
        /** The offset API: {@code claim} + absolute puts into {@code ring.buffer()} + {@code commit(offset, wakeup)}. */
        CLAIM
    }

    private final RingBuffer ring;
    private final Path path;
    private final Wakeup wakeup;
    private final Handler handler = new Handler();

    /**
     * A ring of {@code capacity} bytes.
     *
     * @param capacity bytes
     * @param path how producers write
     * @param wakeup the wakeup every commit uses
     */
    public RingbufTransport(int capacity, Path path, Wakeup wakeup) {
        this(capacity, path, wakeup, false);
    }

    /**
     * A ring of {@code capacity} bytes in normal or overwrite mode.
     *
     * @param capacity bytes
     * @param path how producers write
     * @param wakeup the wakeup every commit uses
     * @param overwrite whether the ring is in overwrite mode
     */
    public RingbufTransport(int capacity, Path path, Wakeup wakeup, boolean overwrite) {
        this.ring = RingBuffer.builder().name("bench").capacity(capacity).maxRecordSize(Records.SIZE)
                .overwrite(overwrite).build();
        this.path = path;
        this.wakeup = wakeup;
    }

    /**
     * The ring under test.
     *
     * @return the ring
     */
    public RingBuffer ring() {
        return ring;
    }

    @Override
    public Producer producer(int id) {
        switch (path) {
            case RESERVE:
                return new ReservingProducer(ring, wakeup);
            case RESERVE_BEHIND_INTERFACE:
                return new ReservingBehindInterface(ring, wakeup);
            default:
                return new ClaimingProducer(ring, wakeup);
        }
    }

    @Override
    public int poll(Validator validator) {
        handler.validator = validator;
        return ring.consume(handler);
    }

    private static final class Handler implements RecordHandler {
        Validator validator;

        @Override
        public void onRecord(Record record) {
            validator.accept(record.getLong(0));
        }
    }

    /** Writes one record the README way into a reservation. */
    static void write(Reservation r, long sequence, Wakeup wakeup) {
        try (r) { // closed, as try-with-resources would: only a closed reservation object is reused (0 B/record)
            r.putLong(0, sequence)
                    .putLong(8, Records.filler(sequence, 1))
                    .putLong(16, Records.filler(sequence, 2))
                    .putLong(24, Records.filler(sequence, 3))
                    .commit(wakeup);
        }
    }

    private static final class ClaimingProducer implements Producer {
        private final RingBuffer ring;
        private final ByteBuffer buffer;
        private final Wakeup wakeup;
        private final Backoff backoff = new Backoff();

        ClaimingProducer(RingBuffer ring, Wakeup wakeup) {
            this.ring = ring;
            this.buffer = ring.buffer();
            this.wakeup = wakeup;
        }

        @Override
        public void send(long sequence) {
            int offset;
            while ((offset = ring.claim(Records.SIZE)) == RingBuffer.CLAIM_FAILED) {
                backoff.idle();
            }
            backoff.reset();
            buffer.putLong(offset, sequence);
            buffer.putLong(offset + 8, Records.filler(sequence, 1));
            buffer.putLong(offset + 16, Records.filler(sequence, 2));
            buffer.putLong(offset + 24, Records.filler(sequence, 3));
            ring.commit(offset, wakeup);
        }
    }

    private static final class ReservingProducer implements Producer {
        private final RingBuffer ring;
        private final Wakeup wakeup;
        private final Backoff backoff = new Backoff();

        ReservingProducer(RingBuffer ring, Wakeup wakeup) {
            this.ring = ring;
            this.wakeup = wakeup;
        }

        @Override
        public void send(long sequence) {
            Reservation r;
            while ((r = ring.reserve(Records.SIZE)) == null) {
                backoff.idle();
            }
            backoff.reset();
            write(r, sequence, wakeup);
        }
    }

    private static final class ReservingBehindInterface implements Producer {
        private final Reservers reservers;
        private final Wakeup wakeup;
        private final Backoff backoff = new Backoff();
        private int turn;

        ReservingBehindInterface(RingBuffer ring, Wakeup wakeup) {
            this.reservers = new Reservers(ring);
            this.wakeup = wakeup;
        }

        @Override
        public void send(long sequence) {
            Reservation r;
            while ((r = reservers.next(turn++).reserve(Records.SIZE)) == null) {
                backoff.idle();
            }
            backoff.reset();
            write(r, sequence, wakeup);
        }
    }
}
