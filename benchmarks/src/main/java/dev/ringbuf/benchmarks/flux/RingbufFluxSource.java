package dev.ringbuf.benchmarks.flux;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.transports.Transports;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.reactor.RingBufferFlux;
import java.nio.ByteBuffer;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Flux;

/**
 * ringbuf's Flux: producers take the README path, {@code reserve} + puts + {@code commit()} (the {@code DEFAULT}
 * wakeup, what wakes the drain when it had caught up), or with {@code claim} the offset API's
 * {@code claim}/{@code commit(offset)} (same wakeup); the subscriber gets {@code RingBufferFlux.records(ring)} (a new view per record,
 * released when {@code onNext} returns) or {@code RingBufferFlux.decode(ring, r -> r.getLong(0))} (a boxed
 * {@code Long} per record), with the library's defaults: drained on {@code Schedulers.parallel()}, batches of 256.
 */
final class RingbufFluxSource implements FluxSource {

    private final RingBuffer ring = RingBuffer.builder().name("bench-flux").capacity(Transports.RING_BYTES)
            .maxRecordSize(Records.SIZE).build();
    private final boolean decode;
    private final boolean claim;

    RingbufFluxSource(boolean decode, boolean claim) {
        this.decode = decode;
        this.claim = claim;
    }

    @Override
    public void subscribe(Subscriber<Object> subscriber) {
        final Flux<?> flux = decode ? RingBufferFlux.decode(ring, r -> r.getLong(0)) : RingBufferFlux.records(ring);
        flux.subscribe(subscriber);
    }

    @Override
    public Transport.Producer producer(int id) {
        final Backoff backoff = new Backoff();
        final ByteBuffer buffer = ring.buffer();
        final RingBuffer ring = this.ring;
        if (!claim) {
            return sequence -> {
                Reservation r;
                while ((r = ring.reserve(Records.SIZE)) == null) {
                    backoff.idle();
                }
                backoff.reset();
                r.putLong(0, sequence)
                        .putLong(8, Records.filler(sequence, 1))
                        .putLong(16, Records.filler(sequence, 2))
                        .putLong(24, Records.filler(sequence, 3))
                        .commit();
            };
        }
        return sequence -> {
            int offset;
            while ((offset = ring.claim(Records.SIZE)) == RingBuffer.CLAIM_FAILED) {
                backoff.idle();
            }
            backoff.reset();
            buffer.putLong(offset, sequence);
            buffer.putLong(offset + 8, Records.filler(sequence, 1));
            buffer.putLong(offset + 16, Records.filler(sequence, 2));
            buffer.putLong(offset + 24, Records.filler(sequence, 3));
            ring.commit(offset, Wakeup.DEFAULT);
        };
    }

    @Override
    public long sequenceOf(Object element) {
        return decode ? (Long) element : ((Record) element).getLong(0);
    }

    @Override
    public void close() {
        ring.close();
    }
}
