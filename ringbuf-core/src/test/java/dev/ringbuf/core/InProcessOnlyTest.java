package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a ring in process memory does and a ring file does not (the contract both keep is in the {@link ContractSuite}
 * suites): its listener runs exactly once per wakeup and only on the thread that commits, since no doorbell watcher
 * calls it as well; a consumer in awaitData parks with the ring as its blocker until a producer unparks it; its default
 * name is {@link RingBufferBuilder#DEFAULT_NAME}.
 */
class InProcessOnlyTest {

    private final AtomicInteger listenerCalls = new AtomicInteger();
    private final List<Thread> listenerThreads = new ArrayList<>();

    private RingBuffer ringWithListener() {
        RingBuffer ring = RingBuffer.allocate(4096);
        assertThat(ring.setWakeupListener(() -> {
            listenerCalls.incrementAndGet();
            listenerThreads.add(Thread.currentThread());
        })).isNull();
        return ring;
    }

    private void assertListenerCalls(RingBuffer ring, int expected) {
        assertThat(ring.wakeups()).isEqualTo(expected);
        assertThat(listenerCalls).as("listener calls, one per wakeup").hasValue(expected);
    }

    @Test
    void listenerRunsOncePerDefaultWakeupOnTheCommittingThread() {
        RingBuffer ring = ringWithListener();
        ring.output(new byte[32]);                         // at 0, read position 0: caught up
        assertListenerCalls(ring, 1);
        ring.output(new byte[32]);                         // the consumer will get there
        ring.output(new byte[32]);
        assertListenerCalls(ring, 1);
        assertThat(ring.consume(record -> { })).isEqualTo(3);
        ring.reserve(32).commit();                         // at 120 == read position
        assertListenerCalls(ring, 2);
        ring.reserve(32).discard();                        // not caught up
        assertListenerCalls(ring, 2);
        Reservation first = ring.reserve(8);
        assertThat(ring.consume(record -> { })).isEqualTo(1); // passes the discard, stops at the busy record
        first.commit();                                    // the record the consumer waits at
        assertListenerCalls(ring, 3);
        assertThat(listenerThreads).containsOnly(Thread.currentThread());
    }

    @Test
    void listenerRunsNeverForNoneAndOnceForEachForce() {
        RingBuffer ring = ringWithListener();
        ring.output(new byte[8], 0, 8, Wakeup.NONE);
        ring.commit(ring.claim(8), Wakeup.NONE);
        ring.reserve(8).discard(Wakeup.NONE);
        assertListenerCalls(ring, 0);
        ring.output(new byte[8], 0, 8, Wakeup.FORCE);
        ring.reserve(8).commit(Wakeup.FORCE);
        ring.discard(ring.claim(8), Wakeup.FORCE);
        assertListenerCalls(ring, 3);
        assertThat(listenerThreads).containsOnly(Thread.currentThread());
    }

    @Test
    void listenerCanBeReplacedAndRemoved() {
        RingBuffer ring = RingBuffer.allocate(4096);
        AtomicInteger other = new AtomicInteger();
        WakeupListener first = listenerCalls::incrementAndGet;
        assertThat(ring.setWakeupListener(first)).isNull();
        assertThat(ring.setWakeupListener(other::incrementAndGet)).isSameAs(first);
        ring.output(new byte[1], 0, 1, Wakeup.FORCE);
        assertThat(other).hasValue(1);
        assertThat(listenerCalls).hasValue(0);
        assertThat(ring.setWakeupListener(null)).isNotNull();
        ring.output(new byte[1], 0, 1, Wakeup.FORCE);
        assertThat(other).hasValue(1);
        assertThat(ring.wakeups()).isEqualTo(2);
    }

    @Test
    void closeCallsTheListenerExactlyOnce() {
        RingBuffer ring = ringWithListener();
        ring.close();
        ring.close(); // idempotent
        assertThat(listenerCalls).hasValue(1);
        assertThat(ring.wakeups()).as("close is not a producer wakeup").isZero();
    }

    @Test
    void awaitDataParksWithTheRingAsBlocker() throws Exception {
        RingBuffer ring = RingBuffer.allocate(4096);
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                awaited.complete(ring.awaitData(Duration.ofHours(1)));
            } catch (Throwable t) {
                awaited.completeExceptionally(t);
            }
        }, "blocker-consumer");
        consumer.start();
        try {
            TestSupport.awaitParkedIn(ring, consumer); // the blocker is the ring, and it stays parked (no idle loop)
            ring.output(new byte[1], 0, 1, Wakeup.FORCE); // unparks it
            assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            ring.close();
            consumer.join(30_000);
        }
    }

    @Test
    void defaultNameIsRingbuf() {
        assertThat(RingBuffer.allocate(64).name()).isEqualTo(RingBufferBuilder.DEFAULT_NAME);
        assertThat(RingBuffer.allocate(64).file()).isEmpty();
    }
}
