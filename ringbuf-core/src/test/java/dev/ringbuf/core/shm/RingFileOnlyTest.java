package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a ring file does and an in-process ring does not (the contract both keep is in the core {@code ContractSuite}
 * suites): a producer in another process cannot unpark the consumer, so awaitData idles in a loop that also finds
 * records committed with {@link Wakeup#NONE}; a doorbell watcher thread calls the wakeup listener as well as the
 * committing thread; the default name is the file name. (Abandoned records, corrupted headers and faults are in
 * {@link SharedRingFaultTest} and {@link RingFileOpenTest}.)
 */
class RingFileOnlyTest {

    @TempDir
    Path dir;

    private RingBuffer ring;

    @AfterEach
    void closeRing() {
        if (ring != null) {
            ring.setWakeupListener(null);
            ring.close();
        }
    }

    @Test
    void awaitDataFindsARecordCommittedWithNoneWithoutAnyWakeup() throws Exception {
        ring = RingBuffer.builder().file(dir.resolve("idle")).capacity(4096).create();
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                awaited.complete(ring.awaitData(Duration.ofHours(1)));
            } catch (Throwable t) {
                awaited.completeExceptionally(t);
            }
        }, "idling-consumer");
        consumer.start();
        try {
            awaitUntil("the consumer idles in a park", () -> consumer.getState() == Thread.State.TIMED_WAITING);
            ring.output(new byte[] {1}, 0, 1, Wakeup.NONE);
            // An in-process consumer would wait out the hour; this one's idle loop looks at the header again.
            assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ring.wakeups()).isZero();
        } finally {
            ring.close();
            consumer.join(30_000);
        }
    }

    @Test
    void theDoorbellWatcherCallsTheListenerBesidesTheCommittingThread() throws IOException {
        ring = RingBuffer.builder().file(dir.resolve("bell")).capacity(4096).create();
        List<Thread> callers = new CopyOnWriteArrayList<>();
        ring.setWakeupListener(() -> callers.add(Thread.currentThread()));
        ring.output(new byte[1], 0, 1, Wakeup.FORCE);
        assertThat(callers).as("called on the committing thread").contains(Thread.currentThread());
        awaitUntil("the doorbell watcher calls the listener",
                () -> callers.stream().anyMatch(caller -> caller != Thread.currentThread()));
        assertThat(ring.wakeups()).isEqualTo(1);
    }

    /** Polls {@code condition} until it holds; fails after 30 s. */
    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.yield();
        }
    }

    /**
     * A listener that throws once on the doorbell watcher's thread must not cost the ring its watcher: producers in
     * other processes reach the listener only through it. The watcher reports the exception and goes on watching.
     */
    @Test
    void aListenerThatThrowsOnceKeepsHearingTheDoorbell() throws Exception {
        ring = RingBuffer.builder().file(dir.resolve("throwing")).capacity(4096).create();
        AtomicInteger watcherCalls = new AtomicInteger();
        Thread test = Thread.currentThread();
        ring.setWakeupListener(() -> {
            if (Thread.currentThread() != test && watcherCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("listener failed once"); // the watcher's first call, at its start
            }
        });
        awaitUntil("the doorbell watcher calls the listener", () -> watcherCalls.get() >= 1);
        try (RingBuffer otherMapping = RingBuffer.builder().file(dir.resolve("throwing")).open()) {
            assertThat(otherMapping.output(new byte[] {1}, 0, 1, Wakeup.FORCE)).isTrue();
            awaitUntil("the doorbell watcher calls the listener again", () -> watcherCalls.get() >= 2);
        }
    }

    @Test
    void defaultNameIsTheFileName() throws IOException {
        ring = RingBuffer.builder().file(dir.resolve("orders.ring")).capacity(64).create();
        assertThat(ring.name()).isEqualTo("orders.ring");
        assertThat(ring.file()).contains(dir.resolve("orders.ring"));
    }
}
