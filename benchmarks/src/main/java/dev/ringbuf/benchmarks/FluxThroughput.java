package dev.ringbuf.benchmarks;

import dev.ringbuf.benchmarks.flux.FluxSource;
import dev.ringbuf.benchmarks.flux.FluxSources;
import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flux throughput, end to end: producers (JMH threads) send 32-byte records into a source, a {@code Flux} delivers
 * them to a subscriber that requests 256 at a time and runs on a thread of its own, and validates every record's
 * sequence. An invocation sends {@link #BATCH} records per producer and returns once the subscriber has seen all of
 * them (lossless sources) or all of them were either delivered or counted as dropped ({@code create-drop}). The
 * primary score is records offered per second; the {@code delivered} counter is records delivered per second
 * (equal for lossless sources).
 *
 * <p>{@code impl}: see {@link FluxSources#create(String)}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FluxThroughput {

    /** Records per invocation and producer. */
    static final int BATCH = 1 << 16;

    /** The source, its Flux and subscriber: one per trial. */
    @State(Scope.Benchmark)
    public static class Pipe {
        @Param({"ringbuf-records", "ringbuf-decode", "ringbuf-records-claim", "agrona-flux", "sinks-unicast",
                "sinks-multicast", "create-buffer", "create-drop"})
        public String impl;

        FluxSource source;
        Validator validator;
        final AtomicInteger producerIds = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() {
            source = FluxSources.create(impl);
            validator = new Validator(!source.lossy());
            source.subscribe(new BatchSubscriber(validator, source));
        }

        @TearDown(Level.Iteration)
        public void check() {
            validator.check();
        }

        @TearDown(Level.Trial)
        public void stop() {
            source.close();
            validator.check();
        }
    }

    /** One producer thread's handle, its next sequence, and its delivered count (a secondary result). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProducerState {
        int id = -1;
        Transport.Producer producer;
        long next;
        long deliveredBefore;
        /** Records of this producer delivered to the subscriber. */
        public long delivered;

        @Setup(Level.Iteration)
        public void clear() {
            delivered = 0;
        }
    }

    /**
     * One producer.
     *
     * @param pipe the source
     * @param p this thread's producer
     */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void oneProducer(Pipe pipe, ProducerState p) {
        sendBatch(pipe, p);
    }

    /**
     * Two producers.
     *
     * @param pipe the source
     * @param p this thread's producer
     */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void twoProducers(Pipe pipe, ProducerState p) {
        sendBatch(pipe, p);
    }

    static void sendBatch(Pipe pipe, ProducerState p) {
        if (p.producer == null) {
            p.id = pipe.producerIds.getAndIncrement();
            p.producer = pipe.source.producer(p.id);
            p.next = Records.firstSequence(p.id);
        }
        final Transport.Producer producer = p.producer;
        long sequence = p.next;
        final long end = sequence + BATCH;
        while (sequence < end) {
            producer.send(sequence++);
        }
        p.next = end;
        final Validator validator = pipe.validator;
        if (pipe.source.lossy()) {
            // Every record sent was either delivered or dropped (counted on the producer thread by the source).
            final long sent = end - Records.firstSequence(p.id);
            final Backoff backoff = new Backoff();
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (validator.deliveredFrom(p.id) + pipe.source.dropped(p.id) != sent) {
                validator.check();
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("subscriber stalled");
                }
                backoff.idle();
            }
        } else {
            Await.received(validator, p.id, end);
        }
        final long delivered = validator.deliveredFrom(p.id);
        p.delivered += delivered - p.deliveredBefore;
        p.deliveredBefore = delivered;
    }
}
