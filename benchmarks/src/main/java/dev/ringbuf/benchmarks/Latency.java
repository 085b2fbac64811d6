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
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.ringbuf.reactor.RingBufferFlux;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * One-way latency at a fixed rate of 100,000 records/s (one every 10 us) to an idle consumer: the producer stamps
 * each 32-byte record with {@code System.nanoTime()} just before reserving it, the consumer records
 * {@code nanoTime() - stamp} into an HdrHistogram and validates the sequence. An invocation sends
 * {@link #RECORDS} records (1 s) and waits until all arrived. The score JMH prints is that second; the percentiles
 * are the result: each measurement iteration's histogram is appended (base64, compressed) to
 * {@code <ringbuf.bench.latencyDir>/<impl>.hdr} and printed.
 *
 * <p>{@code impl}: {@code ringbuf-default}: the README path ({@code reserve}, puts, {@code commit()}, so the
 * {@code DEFAULT} wakeup), the consumer loops
 * {@code consume(h); awaitData(..)} (parks when idle: the product's blocking consumer). {@code ringbuf-spin}:
 * {@code Wakeup.NONE} and a busy-spinning consumer (a floor, a core burnt). {@code agrona-backoff}:
 * {@code ManyToOneRingBuffer} read by a consumer idling with Agrona's default {@code BackoffIdleStrategy} (spin,
 * yield, then park 1 us..1 ms), Agrona's usual answer for a consumer that should not burn a core.
 * {@code ringbuf-flux}: {@code Wakeup.DEFAULT} commits, {@code RingBufferFlux.records(ring)} with its defaults, a
 * subscriber requesting 256 at a time. {@code sinks-unicast}: Reactor's {@code Sinks.many().unicast()} with a bounded
 * buffer, {@code publishOn(single, 256)}, the same subscriber. {@code park-floor}: no ring at all, a bare hand-off
 * of (sequence, stamp) pairs through an array whose consumer parks when it is empty and whose producer unparks it
 * (fence, then a read of the waiter): the least any consumer that sleeps pays on this machine, so the floor under the
 * p50 of every blocking row.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class Latency {

    /** Records per invocation: one second at the rate. */
    static final int RECORDS = 100_000;
    /** Nanoseconds between two sends: 100,000 records/s. */
    static final long INTERVAL_NANOS = 10_000;

    @Param({"ringbuf-default", "ringbuf-spin", "park-floor", "agrona-backoff", "ringbuf-flux", "sinks-unicast"})
    public String impl;

    private Pipe pipe;
    private Validator validator;
    private Histogram histogram;
    private long next;
    private boolean measuring;
    private String label;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        validator = new Validator(true);
        histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        next = Records.firstSequence(0);
        label = impl;
        pipe = create(impl);
        pipe.start(new Sink(validator, histogram));
    }

    @Setup(Level.Iteration)
    public void resetHistogram(IterationParams params) {
        // The consumer is idle between invocations (every record of the last one arrived), so this reset is safe.
        histogram.reset();
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Iteration)
    public void saveHistogram() {
        validator.check();
        if (!measuring) {
            return;
        }
        System.out.printf("%n  %s: n=%d p50=%.1f us p99=%.1f us p99.9=%.1f us max=%.1f us%n", label,
                histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1e3,
                histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3,
                histogram.getMaxValue() / 1e3);
        final String dir = System.getProperty("ringbuf.bench.latencyDir");
        if (dir == null) {
            return;
        }
        final ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(encoded);
        final String line = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(encoded.array(), length))
                + System.lineSeparator();
        try {
            final Path path = Paths.get(dir).resolve(impl + ".hdr");
            Files.createDirectories(path.getParent());
            Files.write(path, line.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        pipe.stop();
        validator.check();
    }

    /** Sends {@link #RECORDS} records at 100k/s and waits until the consumer received them all. */
    @Benchmark
    public void oneWay() {
        final Pipe pipe = this.pipe;
        long sequence = next;
        final long end = sequence + RECORDS;
        final long start = System.nanoTime();
        for (long i = 0; sequence < end; i++) {
            final long due = start + i * INTERVAL_NANOS;
            while (System.nanoTime() - due < 0) {
                Thread.onSpinWait();
            }
            pipe.send(sequence++, System.nanoTime());
        }
        next = end;
        Await.received(validator, 0, end);
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
