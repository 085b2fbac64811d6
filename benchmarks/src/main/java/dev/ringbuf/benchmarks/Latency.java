package dev.ringbuf.benchmarks;

import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Validator;
import dev.ringbuf.core.Wakeup;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.ringbuf.reactor.RingBufferFlux;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
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
import reactor.core.publisher.Sinks;

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

    private LatencyPipes.Pipe pipe;
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
        pipe = LatencyPipes.create(impl);
        pipe.start(new LatencyPipes.Sink(validator, histogram));
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
        final LatencyPipes.Pipe pipe = this.pipe;
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
}
