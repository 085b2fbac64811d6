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
 * What a producer pays per record, alone: reserve (claim), write 32 bytes, commit, into a ring that has room. Each
 * invocation writes {@link #BATCH} records (well under the ring's capacity); the untimed per-invocation setup drains
 * and validates them on the same thread, so no consumer runs while the producer is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class ProducerCost {

    /** Records per invocation: 16,384 of 40 bytes, 640 KiB of the 1 MiB rings. */
    static final int BATCH = 1 << 14;

    @Param({"ringbuf", "ringbuf-interface", "ringbuf-claim", "ringbuf-claim-none", "ringbuf-overwrite", "ceiling",
            "agrona-mpsc",
            "agrona-mpsc-write", "agrona-spsc", "disruptor"})
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

    /** Empties the ring, validating every record, outside the timed region. */
    @Setup(Level.Invocation)
    public void drain() {
        // A poll may return 0 and still make progress (Agrona skips its padding record at the ring's end).
        for (int idle = 0; idle < 3; ) {
            idle = transport.poll(validator) > 0 ? 0 : idle + 1;
        }
        validator.publish();
        validator.check();
        if (validator.nextExpected(0) != next) {
            throw new IllegalStateException("drained up to " + validator.nextExpected(0) + ", sent up to " + next);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        drain();
        transport.close();
    }

    /** Claim + write + commit, {@link #BATCH} times. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void reserveCommit() {
        final Transport.Producer producer = this.producer;
        long sequence = next;
        final long end = sequence + BATCH;
        while (sequence < end) {
            producer.send(sequence++);
        }
        next = end;
    }
}
