package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Several rings, one consumer: every record of every ring delivered with its ring, each ring's order kept, a total
 * limit across rings, the round-robin fairness the class documents, one awaitData that any ring's commit ends,
 * rings added and removed at run time, and in-process rings mixed with ring files.
 */
class RingGroupTest extends ContractSuite {

    private static void outputLong(RingBuffer ring, long value) {
        assertThat(ring.output(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value))).isTrue();
    }

    /** "ring:value" for each record, in delivery order. */
    private static List<String> drain(RingGroup group, int limit) {
        List<String> seen = new ArrayList<>();
        group.consume((ring, record) -> seen.add(ring.name() + ":" + record.getLong(0)), limit);
        return seen;
    }

    private RingBuffer named(String name) {
        return ring(RingBuffer.builder().name(name).capacity(4096));
    }

    @Test
    void deliversEveryRingsRecordsWithTheirRingInEachRingsOrder() {
        RingBuffer a = named("a");
        RingBuffer b = named("b");
        RingGroup group = RingGroup.of(a, b);
        for (int i = 0; i < 3; i++) {
            outputLong(a, i);
            outputLong(b, 10 + i);
        }
        assertThat(drain(group, Integer.MAX_VALUE)).containsExactly("a:0", "a:1", "a:2", "b:10", "b:11", "b:12");
        assertThat(a.consumedRecords()).as("per-ring counters").isEqualTo(3);
        assertThat(b.consumedRecords()).isEqualTo(3);
        assertThat(group.consume((ring, record) -> { })).isZero();
        group.close();
    }

    @Test
    void theLimitIsATotalAcrossRingsAndTheNextConsumeStartsAtTheNextRing() {
        RingBuffer a = named("a");
        RingBuffer b = named("b");
        RingBuffer c = named("c");
        RingGroup group = RingGroup.create(2).add(a).add(b).add(c);
        for (int i = 0; i < 5; i++) {
            outputLong(a, i);
            outputLong(b, 10 + i);
        }
        outputLong(c, 20);
        // Pass 1: two from a, two from b, c's only one; then a again, up to the limit of 6.
        assertThat(drain(group, 6)).containsExactly("a:0", "a:1", "b:10", "b:11", "c:20", "a:2");
        // The next consume starts after a, the ring visited last.
        assertThat(drain(group, 3)).containsExactly("b:12", "b:13", "a:3");
        assertThat(drain(group, 100)).containsExactly("b:14", "a:4");
        group.close();
    }

    @Test
    void aBusyRingCannotStarveTheOthers() {
        RingBuffer busy = ring(RingBuffer.builder().name("busy").capacity(1 << 16));
        RingBuffer quiet = named("quiet");
        RingGroup group = RingGroup.create(16).add(busy).add(quiet);
        for (int i = 0; i < 1000; i++) {
            outputLong(busy, i);
        }
        outputLong(quiet, 7);
        List<String> first = drain(group, 32);
        assertThat(first).as("the quiet ring's record within the first pass").contains("quiet:7");
        assertThat(first.indexOf("quiet:7")).isEqualTo(16);
        group.close();
    }

    @Test
    void controlledConsumeBreakEndsTheWholeBatchAndAbortRedelivers() {
        RingBuffer a = named("a");
        RingBuffer b = named("b");
        RingGroup group = RingGroup.of(a, b);
        outputLong(a, 1);
        outputLong(a, 2);
        outputLong(b, 3);
        List<Long> seen = new ArrayList<>();
        assertThat(group.controlledConsume((ring, record) -> {
            seen.add(record.getLong(0));
            return ControlledRecordHandler.Action.BREAK;
        }, 10)).isEqualTo(1);
        assertThat(group.controlledConsume((ring, record) -> record.getLong(0) == 3
                ? ControlledRecordHandler.Action.ABORT : ControlledRecordHandler.Action.CONTINUE, 10)).isZero();
        // After the abort at b the next consume starts at the ring after b; b:3 is delivered again.
        assertThat(drain(group, 10)).containsExactly("a:2", "b:3");
        assertThat(seen).containsExactly(1L);
        group.close();
    }

    @Test
    void awaitDataEndsOnACommitInAnyRing() throws Exception {
        RingBuffer a = named("a");
        RingBuffer b = named("b");
        RingGroup group = RingGroup.of(a, b);
        assertThat(group.awaitData(Duration.ZERO)).isFalse();
        assertThat(drain(group, 10)).isEmpty(); // caught up in both rings: the next commits wake the group
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                awaited.complete(group.awaitData(Duration.ofSeconds(60)));
            } catch (Throwable e) {
                awaited.completeExceptionally(e);
            }
        }, "group-consumer");
        consumer.start();
        TestSupport.awaitCondition("the group's consumer parks", () -> LockSupport.getBlocker(consumer) == group
                && consumer.getState() == Thread.State.TIMED_WAITING);
        long start = System.nanoTime();
        outputLong(b, 5);
        assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).as("woken, not timed out").isLessThan(TimeUnit.SECONDS.toNanos(30));
        assertThat(drain(group, 10)).containsExactly("b:5");
        group.close();
    }

    @Test
    void ringsJoinAndLeaveAtRunTime() throws Exception {
        RingBuffer a = named("a");
        RingBuffer b = named("b");
        RingGroup group = RingGroup.create();
        assertThat(group.isClosedAndDrained()).as("an empty group may still get rings").isFalse();
        group.add(a);
        outputLong(a, 1);
        outputLong(b, 2);
        assertThat(drain(group, 10)).containsExactly("a:1");
        group.add(b);
        assertThat(group.rings()).containsExactly(a, b);
        assertThat(drain(group, 10)).containsExactly("b:2");
        assertThat(group.remove(a)).isTrue();
        assertThat(group.remove(a)).isFalse();
        outputLong(a, 3);
        assertThat(drain(group, 10)).isEmpty();
        assertThat(a.consume(record -> { })).as("a removed ring is consumed on its own").isEqualTo(1);
        assertThat(a.setWakeupListener(null)).as("the group gave its listener back").isNull();
        assertThatThrownBy(() -> group.add(b)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already in this group");
        a.setWakeupListener(() -> { });
        assertThatThrownBy(() -> group.add(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a wakeup listener");
        a.setWakeupListener(null);
        group.close();
        assertThat(group.isClosedAndDrained()).isTrue();
        assertThat(group.rings()).isEmpty();
        assertThatThrownBy(() -> group.add(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void theGroupIsDrainedWhenEveryRingIsClosedAndDrained() {
        RingBuffer a = named("a");
        RingBuffer b = named("b");
        RingGroup group = RingGroup.of(a, b);
        outputLong(a, 1);
        a.endStream();
        b.endStream();
        assertThat(group.isClosedAndDrained()).isFalse();
        assertThat(drain(group, 10)).containsExactly("a:1");
        assertThat(group.isClosedAndDrained()).isTrue();
        group.close();
    }

    @Test
    void inProcessRingsAndRingFilesMix() throws Exception {
        RingBuffer here = RingBuffer.builder().name("here").capacity(4096).build();
        RingBuffer variantRing = named("variant");
        RingGroup group = RingGroup.of(here, variantRing);
        try {
            outputLong(here, 1);
            outputLong(variantRing, 2);
            assertThat(group.awaitData(Duration.ofSeconds(30))).isTrue();
            assertThat(drain(group, 10)).containsExactly("here:1", "variant:2");
        } finally {
            group.close();
            here.close();
        }
    }

    @Test
    void aSecondConsumerAndBadLimitsAreRefused() {
        RingBuffer a = named("a");
        RingGroup group = RingGroup.of(a);
        outputLong(a, 1);
        group.consume((ring, record) -> assertThatThrownBy(() -> group.consume((r, x) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("active consumer"));
        assertThatThrownBy(() -> group.consume((r, x) -> { }, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit 0");
        assertThatThrownBy(() -> RingGroup.create(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchPerRing 0");
        group.close();
    }
}
