package dev.ringbuf.benchmarks;

import dev.ringbuf.core.GroupRecordHandler;
import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
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
 * What one consumer pays per record to drain 4 rings: through a {@link RingGroup} ({@code group}: round robin, a
 * per-ring batch bound, the handler told the ring) or ring by ring ({@code separate}: four {@code consume} calls, the
 * floor a group can reach). The untimed per-invocation setup writes {@link #PER_RING} 16-byte records into each ring
 * on the same thread; the timed part drains all of them and frees the space.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class GroupConsumerCost {

    /** Rings drained per invocation. */
    static final int RINGS = 4;
    /** Records per ring per invocation. */
    static final int PER_RING = 256;

    @Param({"group", "separate"})
    public String shape;

    private final RingBuffer[] rings = new RingBuffer[RINGS];
    private final byte[] payload = new byte[16];
    private RingGroup group;
    private long sum;
    private final GroupRecordHandler groupHandler = (ring, record) -> sum += record.getLong(0);
    private final RecordHandler ringHandler = record -> sum += record.getLong(0);

    @Setup(Level.Trial)
    public void start() {
        for (int r = 0; r < RINGS; r++) {
            rings[r] = RingBuffer.builder().name("ring-" + r).capacity(1 << 16).build();
        }
        group = "group".equals(shape) ? RingGroup.of(rings) : null;
    }

    /** Fills every ring, outside the timed region. */
    @Setup(Level.Invocation)
    public void fill() {
        for (RingBuffer ring : rings) {
            for (int i = 0; i < PER_RING; i++) {
                if (!ring.output(payload)) {
                    throw new IllegalStateException("ring " + ring.name() + " is full");
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (group != null) {
            group.close();
        }
        for (RingBuffer ring : rings) {
            ring.close();
        }
    }

    /**
     * Drains the four rings.
     *
     * @return records drained (consumed by JMH)
     */
    @Benchmark
    @OperationsPerInvocation(RINGS * PER_RING)
    public long drain() {
        int drained = 0;
        if (group != null) {
            drained = group.consume(groupHandler);
        } else {
            for (RingBuffer ring : rings) {
                drained += ring.consume(ringHandler);
            }
        }
        if (drained != RINGS * PER_RING) {
            throw new IllegalStateException("drained " + drained + " of " + RINGS * PER_RING);
        }
        return sum;
    }
}
