package dev.ringbuf.benchmarks;

import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import dev.ringbuf.benchmarks.transports.Transports;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the consumer pays per record, alone: the untimed per-invocation setup fills the ring with {@link #BATCH}
 * records on the same thread; the timed part drains and validates them (reading every sequence) and frees the space.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class ConsumerCost {

    /** Records per invocation. */
    static final int BATCH = ProducerCost.BATCH;

    @Param({"ringbuf", "ceiling", "agrona-mpsc", "agrona-spsc", "disruptor", "jctools"})
    public String impl;

    private Transport transport;
    private Transport.Producer producer;
    private Validator validator;
    private long next;

    @Setup(Level.Trial)
    public void start() {
        transport = Transports.create(impl);
        producer = transport.producer(0);
        validator = new Validator(true);
        next = Records.firstSequence(0);
    }

    /** Fills the ring with the next batch, outside the timed region. */
    @Setup(Level.Invocation)
    public void fill() {
        long sequence = next;
        final long end = sequence + BATCH;
        while (sequence < end) {
            producer.send(sequence++);
        }
        next = end;
    }

    @TearDown(Level.Trial)
    public void stop() {
        transport.close();
        validator.publish();
        validator.check();
    }

    /**
     * Drains the batch.
     *
     * @return records drained (consumed by JMH)
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int consume() {
        final Transport transport = this.transport;
        final Validator validator = this.validator;
        int drained = 0;
        // A poll may return 0 and still make progress (Agrona skips its padding record at the ring's end).
        for (int idle = 0; idle < 3; ) {
            final int n = transport.poll(validator);
            drained += n;
            idle = n > 0 ? 0 : idle + 1;
        }
        if (drained != BATCH) {
            throw new IllegalStateException("drained " + drained + " records of " + BATCH);
        }
        return drained;
    }
}
