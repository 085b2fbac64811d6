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
 * ringbuf's zero-allocation path: {@code claim} + absolute puts into {@code ring.buffer()} + {@code commit(offset,
 * wakeup)}; the consumer is {@code consume(handler)}. With {@code useReservation}, producers use the
 * {@code reserve()}/{@link Reservation} API instead (one small object per record).
 */
public final class RingbufTransport implements Transport {

    private final RingBuffer ring;
    private final Wakeup wakeup;
    private final boolean useReservation;
    private final Handler handler = new Handler();

    /**
     * A ring of {@code capacity} bytes.
     *
     * @param capacity bytes
     * @param wakeup the wakeup every commit uses
     * @param useReservation producers use reserve()/Reservation instead of claim/commit
     */
    public RingbufTransport(int capacity, Wakeup wakeup, boolean useReservation) {
        this(capacity, wakeup, useReservation, false);
    }

    /**
     * A transport over a ring in normal or overwrite mode.
     *
     * @param capacity the ring's capacity
     * @param wakeup the wakeup flag of every commit
     * @param useReservation whether producers use {@code reserve} (else {@code claim}/{@code commit})
     * @param overwrite whether the ring is in overwrite mode
     */
    public RingbufTransport(int capacity, Wakeup wakeup, boolean useReservation, boolean overwrite) {
        this.ring = RingBuffer.builder().name("bench").capacity(capacity).maxRecordSize(Records.SIZE)
                .overwrite(overwrite).build();
        this.wakeup = wakeup;
        this.useReservation = useReservation;
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
        return useReservation ? new ReservingProducer() : new ClaimingProducer();
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

    private final class ClaimingProducer implements Producer {
        private final RingBuffer ring = RingbufTransport.this.ring;
        private final ByteBuffer buffer = ring.buffer();
        private final Wakeup wakeup = RingbufTransport.this.wakeup;
        private final Backoff backoff = new Backoff();

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

    private final class ReservingProducer implements Producer {
        private final RingBuffer ring = RingbufTransport.this.ring;
        private final Wakeup wakeup = RingbufTransport.this.wakeup;
        private final Backoff backoff = new Backoff();

        @Override
        public void send(long sequence) {
            Reservation r;
            while ((r = ring.reserve(Records.SIZE)) == null) {
                backoff.idle();
            }
            backoff.reset();
            r.putLong(0, sequence)
                    .putLong(8, Records.filler(sequence, 1))
                    .putLong(16, Records.filler(sequence, 2))
                    .putLong(24, Records.filler(sequence, 3))
                    .commit(wakeup);
        }
    }
}
