package dev.ringbuf.benchmarks.flux;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import java.util.concurrent.atomic.AtomicLongArray;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * Reactor's own ways to bridge producer threads into a Flux, each record a new {@code byte[32]}, observed with
 * {@code publishOn(single, 256)} so that the subscriber runs on a thread of its own:
 * {@code Sinks.many().unicast()} and {@code multicast()} with a bounded buffer (lossless: a producer retries on
 * {@code FAIL_OVERFLOW} and {@code FAIL_NON_SERIALIZED}), {@code Flux.create(BUFFER)} (unbounded buffer) and
 * {@code Flux.create(DROP)} (drops without demand; drops are counted through the discard hook).
 */
final class SinkSource implements FluxSource {

    enum Kind { UNICAST, MULTICAST, CREATE_BUFFER, CREATE_DROP }

    private static final int STRIDE = 16;

    private final Kind kind;
    private final Scheduler scheduler = Schedulers.newSingle("bench-subscriber");
    private final AtomicLongArray dropped = new AtomicLongArray((Records.MAX_PRODUCERS + 1) * STRIDE);
    private Sinks.Many<byte[]> sink;
    private volatile FluxSink<byte[]> fluxSink;

    SinkSource(Kind kind) {
        this.kind = kind;
        if (kind == Kind.UNICAST) {
            sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<byte[]>get(1 << 15).get());
        } else if (kind == Kind.MULTICAST) {
            sink = Sinks.many().multicast().onBackpressureBuffer(1 << 15, false);
        }
    }

    @Override
    public void subscribe(Subscriber<Object> subscriber) {
        final Flux<byte[]> flux;
        switch (kind) {
            case UNICAST:
            case MULTICAST:
                flux = sink.asFlux();
                break;
            case CREATE_BUFFER:
                flux = Flux.create(s -> fluxSink = s, FluxSink.OverflowStrategy.BUFFER);
                break;
            default:
                flux = Flux.<byte[]>create(s -> fluxSink = s, FluxSink.OverflowStrategy.DROP)
                        .doOnDiscard(byte[].class, r -> dropped.incrementAndGet(
                                (Records.producerOf(Bytes.sequence(r)) + 1) * STRIDE));
                break;
        }
        flux.publishOn(scheduler, 256).subscribe(subscriber);
    }

    @Override
    public Transport.Producer producer(int id) {
        final Backoff backoff = new Backoff();
        if (sink != null) {
            final Sinks.Many<byte[]> sink = this.sink;
            return sequence -> {
                final byte[] record = Bytes.record(sequence);
                Sinks.EmitResult result;
                while ((result = sink.tryEmitNext(record)).isFailure()) {
                    if (result != Sinks.EmitResult.FAIL_OVERFLOW && result != Sinks.EmitResult.FAIL_NON_SERIALIZED) {
                        throw new IllegalStateException("emit failed: " + result);
                    }
                    backoff.idle();
                }
                backoff.reset();
            };
        }
        final FluxSink<byte[]> fluxSink = this.fluxSink;
        return sequence -> fluxSink.next(Bytes.record(sequence));
    }

    @Override
    public long sequenceOf(Object element) {
        return Bytes.sequence((byte[]) element);
    }

    @Override
    public boolean lossy() {
        return kind == Kind.CREATE_DROP;
    }

    @Override
    public long dropped(int producer) {
        return dropped.get((producer + 1) * STRIDE);
    }

    @Override
    public void close() {
        if (sink != null) {
            sink.tryEmitComplete();
        } else if (fluxSink != null) {
            fluxSink.complete();
        }
        scheduler.dispose();
    }
}
