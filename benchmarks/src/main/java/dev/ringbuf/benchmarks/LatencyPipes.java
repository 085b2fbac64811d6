package dev.ringbuf.benchmarks;

import java.time.Duration;
import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Validator;
import dev.ringbuf.benchmarks.transports.Transports;
import dev.ringbuf.core.Record;
import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.reactor.RingBufferFlux;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * The pipes of {@link Latency}: each implementation with its idle consumer, and the sink that records each record's
 * latency on the consumer thread.
 */
final class LatencyPipes {

    private LatencyPipes() {
    }

    /** Receives on the consumer thread: validates, records the latency, publishes progress. */
    static final class Sink {
        final Validator validator;
        final Histogram histogram;

        Sink(Validator validator, Histogram histogram) {
            this.validator = validator;
            this.histogram = histogram;
        }

        void accept(long sequence, long stamp) {
            histogram.recordValue(Math.max(0, System.nanoTime() - stamp));
            validator.acceptAndPublish(sequence);
        }
    }

    /** An implementation with its idle consumer. */
    abstract static class Pipe {
        volatile boolean running = true;
        Thread consumer;

        abstract void send(long sequence, long stamp);

        abstract void consumeLoop(Sink sink) throws InterruptedException;

        void start(Sink sink) {
            consumer = new Thread(() -> {
                try {
                    consumeLoop(sink);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "latency-consumer");
            consumer.setDaemon(true);
            consumer.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (consumer == null) {
                return;
            }
            consumer.join(10_000);
        }
    }

    /** A Flux consumer: requests 256 at a time, hands every record to the sink. */
    abstract static class FluxPipe extends Pipe {
        private Disposable subscription;

        abstract Flux<?> flux();

        abstract void accept(Object element, Sink sink);

        @Override
        void consumeLoop(Sink sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        void start(Sink sink) {
            final BaseSubscriber<Object> subscriber = new BaseSubscriber<>() {
                private int untilRequest;

                @Override
                protected void hookOnSubscribe(Subscription s) {
                    untilRequest = 256;
                    s.request(256);
                }

                @Override
                protected void hookOnNext(Object element) {
                    accept(element, sink);
                    if (--untilRequest == 0) {
                        untilRequest = 256;
                        request(256);
                    }
                }

                @Override
                protected void hookOnError(Throwable t) {
                    sink.validator.fail("onError: " + t);
                }
            };
            flux().subscribe(subscriber);
            subscription = subscriber;
        }

        @Override
        void stop() {
            subscription.dispose();
        }
    }

    static final class RingbufFluxPipe extends FluxPipe {
        private final RingbufPipe producer = new RingbufPipe(Wakeup.DEFAULT, false);

        @Override
        Flux<?> flux() {
            return RingBufferFlux.records(producer.ring);
        }

        @Override
        void accept(Object element, Sink sink) {
            final Record r = (Record) element;
            sink.accept(r.getLong(0), r.getLong(8));
        }

        @Override
        void send(long sequence, long stamp) {
            producer.send(sequence, stamp);
        }

        @Override
        void stop() {
            super.stop();
            producer.ring.close();
        }
    }

    static final class SinksPipe extends FluxPipe {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private final Sinks.Many<byte[]> sinkMany = Sinks.many().unicast().onBackpressureBuffer(
                Queues.<byte[]>get(1 << 15).get());
        private final Scheduler scheduler = Schedulers.newSingle("latency-subscriber");
        private final Backoff backoff = new Backoff();

        @Override
        Flux<?> flux() {
            return sinkMany.asFlux().publishOn(scheduler, 256);
        }

        @Override
        void accept(Object element, Sink sink) {
            final byte[] r = (byte[]) element;
            sink.accept((long) LONG.get(r, 0), (long) LONG.get(r, 8));
        }

        @Override
        void send(long sequence, long stamp) {
            final byte[] record = new byte[Records.SIZE];
            LONG.set(record, 0, sequence);
            LONG.set(record, 8, stamp);
            LONG.set(record, 16, Records.filler(sequence, 2));
            LONG.set(record, 24, Records.filler(sequence, 3));
            while (sinkMany.tryEmitNext(record).isFailure()) {
                backoff.idle();
            }
            backoff.reset();
        }

        @Override
        void stop() {
            super.stop();
            scheduler.dispose();
        }
    }

    static Pipe create(String impl) {
        switch (impl) {
            case "ringbuf-default":
                return new RingbufPipe(Wakeup.DEFAULT, false);
            case "ringbuf-spin":
                return new RingbufPipe(Wakeup.NONE, true);
            case "agrona-backoff":
                return new AgronaPipe();
            case "ringbuf-flux":
                return new RingbufFluxPipe();
            case "sinks-unicast":
                return new SinksPipe();
            case "park-floor":
                return new ParkFloorPipe();
            default:
                throw new IllegalArgumentException("unknown implementation '" + impl + "'");
        }
    }

    static final class RingbufPipe extends Pipe {
        private final RingBuffer ring = RingBuffer.builder().name("latency").capacity(Transports.RING_BYTES)
                .maxRecordSize(Records.SIZE).build();
        private final ByteBuffer buffer = ring.buffer();
        private final Wakeup wakeup;
        private final boolean spin;
        private final Backoff backoff = new Backoff();

        RingbufPipe(Wakeup wakeup, boolean spin) {
            this.wakeup = wakeup;
            this.spin = spin;
        }

        @Override
        void send(long sequence, long stamp) {
            if (!spin) { // the README path: reserve, puts, commit() with the DEFAULT wakeup
                Reservation r;
                while ((r = ring.reserve(Records.SIZE)) == null) {
                    backoff.idle();
                }
                backoff.reset();
                r.putLong(0, sequence).putLong(8, stamp).putLong(16, Records.filler(sequence, 2))
                        .putLong(24, Records.filler(sequence, 3)).commit();
                return;
            }
            int offset;
            while ((offset = ring.claim(Records.SIZE)) == RingBuffer.CLAIM_FAILED) {
                backoff.idle();
            }
            backoff.reset();
            buffer.putLong(offset, sequence);
            buffer.putLong(offset + 8, stamp);
            buffer.putLong(offset + 16, Records.filler(sequence, 2));
            buffer.putLong(offset + 24, Records.filler(sequence, 3));
            ring.commit(offset, wakeup);
        }

        @Override
        void consumeLoop(Sink sink) throws InterruptedException {
            final RecordHandler handler = (Record r) -> sink.accept(r.getLong(0), r.getLong(8));
            while (running) {
                if (ring.consume(handler) > 0) {
                    continue;
                } else if (spin) {
                    Thread.onSpinWait();
                } else {
                    ring.awaitData(Duration.ofMillis(10));
                }
            }
        }
    }

    static final class AgronaPipe extends Pipe {
        private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(Transports.RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        private final AtomicBuffer buffer = ring.buffer();
        private final Backoff backoff = new Backoff();

        @Override
        void send(long sequence, long stamp) {
            int index;
            while ((index = ring.tryClaim(1, Records.SIZE)) < 0) {
                backoff.idle();
            }
            backoff.reset();
            buffer.putLong(index, sequence);
            buffer.putLong(index + 8, stamp);
            buffer.putLong(index + 16, Records.filler(sequence, 2));
            buffer.putLong(index + 24, Records.filler(sequence, 3));
            ring.commit(index);
        }

        @Override
        void consumeLoop(Sink sink) {
            final MessageHandler handler = (int type, MutableDirectBuffer b, int index, int length) ->
                    sink.accept(b.getLong(index), b.getLong(index + 8));
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            while (running) {
                idle.idle(ring.read(handler));
            }
        }
    }

    /**
     * The floor of a blocking hand-off: one producer writes (sequence, stamp) into a slot array and publishes a
     * count; the consumer drains, and when it finds nothing it announces itself as the waiter and parks. No ring
     * format, no CAS, no view: what remains is the wakeup itself, a fence and an unpark on the producer and a futex
     * wake of a sleeping thread on the consumer, which is what {@code ringbuf-default} and every row whose consumer
     * sleeps also pay.
     */
    static final class ParkFloorPipe extends Pipe {
        private static final int SLOTS = 1 << 12;
        private final AtomicLongArray slots = new AtomicLongArray(2 * SLOTS);
        /** Records published: written by the producer only. */
        private final AtomicLong published = new AtomicLong();
        /** Records taken: written by the consumer only. */
        private final AtomicLong taken = new AtomicLong();
        private final Backoff backoff = new Backoff();
        private volatile Thread waiter;

        @Override
        void send(long sequence, long stamp) {
            final long n = published.get();
            while (n - taken.get() >= SLOTS) {
                backoff.idle();
            }
            backoff.reset();
            final int slot = (int) (n & (SLOTS - 1)) * 2;
            slots.setPlain(slot, sequence);
            slots.setPlain(slot + 1, stamp);
            published.setRelease(n + 1); // the slot's two words before the count that makes them visible
            // StoreLoad: the count before the waiter read, against the consumer's waiter store before its re-read of
            // the count (volatile, below): either it sees the record or we see it waiting.
            VarHandle.fullFence();
            final Thread parked = waiter;
            if (parked != null) {
                LockSupport.unpark(parked);
            }
        }

        @Override
        void consumeLoop(Sink sink) {
            final Thread self = Thread.currentThread();
            long consumed = 0;
            while (running) {
                final long available = published.getAcquire();
                if (consumed < available) {
                    while (consumed < available) {
                        final int slot = (int) (consumed & (SLOTS - 1)) * 2;
                        sink.accept(slots.getPlain(slot), slots.getPlain(slot + 1));
                        consumed++;
                    }
                    taken.setRelease(consumed);
                    continue;
                }
                waiter = self; // volatile: ordered before the volatile re-read below
                if (published.get() == consumed) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
                }
                waiter = null;
            }
        }
    }
}
