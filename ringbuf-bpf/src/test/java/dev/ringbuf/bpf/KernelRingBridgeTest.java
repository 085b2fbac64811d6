package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * A kernel ring bridged into an in-process ring: its records reach {@code RingBufferFlux} against demand, and a
 * target without demand holds the kernel ring back until the kernel drops (counted by the program), nothing else.
 */
class KernelRingBridgeTest extends KernelRingFixture {

    KernelRingBridgeTest() {
        super(4096, "rb_bridge");
    }

    @BeforeEach
    void loadProgram() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
    }

    @Test
    void kernelRecordsReachAFluxAgainstDemandInOrder() {
        final RingBuffer events = RingBuffer.builder().name("kernel-events").capacity(1 << 16).build();
        try (KernelRingBridge bridge = KernelRingBridge.start(ring, events)) {
            BpfPrograms.testRun(program, TestPrograms.packet(64), 10);

            StepVerifier.create(RingBufferFlux.records(events).map(record -> record.getLong(0)), 0)
                    .thenRequest(3)
                    .expectNext(1L, 2L, 3L)
                    .thenRequest(7)
                    .expectNext(4L, 5L, 6L, 7L, 8L, 9L, 10L)
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            assertThat(bridge.recordsMoved()).isEqualTo(10);
        } finally {
            events.close();
        }
    }

    @Test
    void withoutDemandTheKernelRingFillsAndOnlyTheKernelDrops() throws Exception {
        final RingBuffer events = RingBuffer.builder().name("kernel-events").capacity(1024).build();
        try (KernelRingBridge bridge = KernelRingBridge.start(ring, events)) {
            BpfPrograms.testRun(program, TestPrograms.packet(64), 300);
            final long dropped = TestPrograms.counter(counters, 1);
            assertThat(dropped).as("the two rings hold at most 42 + 170 records").isGreaterThanOrEqualTo(300 - 212);

            final List<Long> seen = new ArrayList<>();
            final long expected = 300 - dropped;
            awaitTrue(() -> {
                events.consume(record -> seen.add(record.getLong(0)));
                try {
                    events.awaitData(Duration.ofMillis(50));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return seen.size() >= expected;
            });
            assertThat(seen).hasSize((int) expected).isSorted().doesNotHaveDuplicates();
            assertThat(events.droppedRecords()).as("the bridge itself drops nothing").isZero();
            assertThat(bridge.isRunning()).isTrue();
        } finally {
            events.close();
        }
    }

    @Test
    void oversizeRecordsAreCountedByTheTargetAndAClosedTargetStopsTheBridge() throws Exception {
        final RingBuffer events = RingBuffer.builder().name("small-records").capacity(1024).maxRecordSize(8).build();
        final KernelRingBridge bridge = KernelRingBridge.start(ring, events);
        try {
            BpfPrograms.testRun(program, TestPrograms.packet(64), 3);
            awaitTrue(() -> events.droppedRecords(DropReason.OVERSIZE) == 3);
            assertThat(ring.consumerPosition()).as("consumed from the kernel ring").isEqualTo(72);

            events.close();
            awaitTrue(() -> !bridge.isRunning());
            assertThat(bridge.failure()).isNull();
            BpfPrograms.testRun(program, TestPrograms.packet(64), 1);
            assertThat(ring.availableData()).as("left in the kernel ring").isEqualTo(24);
        } finally {
            bridge.close();
        }
    }

    /** Polls {@code condition} until it holds, for at most 20 seconds. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000); // a bounded poll of the condition, 1 ms apart
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
