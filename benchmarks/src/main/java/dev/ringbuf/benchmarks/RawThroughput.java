package dev.ringbuf.benchmarks;

import dev.ringbuf.benchmarks.harness.ConsumerThread;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import dev.ringbuf.benchmarks.transports.Transports;
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
 * Raw throughput, end to end: producers (JMH threads) send 32-byte records, a consumer thread drains and validates
 * every one. An operation is one record received by the consumer: each invocation sends {@link #BATCH} records and
 * returns only once the consumer has received and validated all of them, so records/s is counted at the consumer,
 * lossless.
 *
 * <p>{@code impl}: see {@link Transports#create(String)}. {@code ringbuf} is the README path ({@code reserve},
 * puts, {@code commit()} with the {@code DEFAULT} wakeup and its fence, {@code consume(handler)}); the consumer
 * spins, as Agrona's does. {@code ringbuf-claim-none} is the expert path with {@code Wakeup.NONE} (Agrona has no
 * wakeups). {@code ceiling} and {@code agrona-spsc} are single-producer only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RawThroughput {

    /** Records per invocation. */
    static final int BATCH = 1 << 16;

    /** The implementation, its consumer thread and validator: one per trial. */
    @State(Scope.Benchmark)
    public static class Pipe {
        @Param({"ringbuf", "ringbuf-interface", "ringbuf-claim", "ringbuf-claim-none", "ceiling", "agrona-mpsc",
                "agrona-mpsc-write", "agrona-spsc", "disruptor", "jctools"})
        public String impl;

        Transport transport;
        Validator validator;
        ConsumerThread consumer;
        final AtomicInteger producerIds = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() {
            transport = Transports.create(impl);
            validator = new Validator(true);
            consumer = new ConsumerThread(transport, validator);
            consumer.start();
        }

        @TearDown(Level.Iteration)
        public void check() {
            validator.check();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            consumer.halt();
            transport.close();
            validator.check();
        }
    }

    /** One producer thread's handle and next sequence, and the consumer's non-empty polls (a secondary result). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProducerState {
        int id = -1;
        Transport.Producer producer;
        long next;
        long pollsBefore;
        /** Consumer polls that delivered records (counted by producer 0 only): records/s over this is the batch. */
        public long polls;

        @Setup(Level.Iteration)
        public void clear() {
            polls = 0;
        }

        void init(Pipe pipe) {
            id = pipe.producerIds.getAndIncrement();
            producer = pipe.transport.producer(id);
            next = Records.firstSequence(id);
        }
    }

    /**
     * One producer.
     *
     * @param pipe the implementation
     * @param p this thread's producer
     */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void oneProducer(Pipe pipe, ProducerState p) {
        sendBatch(pipe, p);
    }

    /**
     * Two producers, contending.
     *
     * @param pipe the implementation
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
            p.init(pipe);
        }
        final Transport.Producer producer = p.producer;
        long sequence = p.next;
        final long end = sequence + BATCH;
        while (sequence < end) {
            producer.send(sequence++);
        }
        p.next = end;
        Await.received(pipe.validator, p.id, end);
        if (p.id == 0) {
            final long polls = pipe.consumer.nonEmptyPolls();
            p.polls += polls - p.pollsBefore;
            p.pollsBefore = polls;
        }
    }
}
