package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** {@link RingEmitter}: results instead of exceptions, drops counted once, waiting without spinning. */
class RingEmitterTest {

    @Test
    void tryEmitTellsFullFromClosedAndCountsNothing() {
        RingBuffer ring = Rings.ring("emitter-results", 64); // 3 records of 16 bytes (a ring holds capacity - 1 bytes)
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        for (long i = 0; i < 3; i++) {
            assertThat(emitter.tryEmit(i)).isEqualTo(Sinks.EmitResult.OK);
        }
        assertThat(emitter.tryEmit(4L)).isEqualTo(Sinks.EmitResult.FAIL_OVERFLOW);
        ring.close();
        assertThat(emitter.tryEmit(5L)).isEqualTo(Sinks.EmitResult.FAIL_TERMINATED);
        assertThat(ring.droppedRecords()).as("tryEmit leaves counting to the caller").isZero();
    }

    @Test
    void emitCountsEachLostElementOnceWithItsReason() {
        RingBuffer ring = Rings.ring("emitter-counted", 64);
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        for (long i = 0; i < 5; i++) {
            emitter.emit(i);
        }
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(2);
        ring.close();
        assertThat(emitter.emit(7L)).isEqualTo(Sinks.EmitResult.FAIL_TERMINATED);
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isEqualTo(1);
    }

    @Test
    void emitWithTimeoutWaitsForTheConsumerAndTimesOutWhenNobodyConsumes() throws InterruptedException {
        RingBuffer ring = Rings.ring("emitter-wait", 64);
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        for (long i = 0; i < 3; i++) {
            assertThat(emitter.tryEmit(i)).isEqualTo(Sinks.EmitResult.OK);
        }
        long start = System.nanoTime();
        assertThat(emitter.emit(4L, Duration.ofMillis(30))).isEqualTo(Sinks.EmitResult.FAIL_OVERFLOW);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(ring.droppedRecords(DropReason.FULL)).isEqualTo(1);

        CountDownLatch waiting = new CountDownLatch(1);
        Sinks.EmitResult[] result = new Sinks.EmitResult[1];
        Thread producer = new Thread(() -> {
            waiting.countDown();
            try {
                result[0] = emitter.emit(5L, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ring.consume(record -> { }, 1)).isEqualTo(1); // frees one record's space: the producer resumes
        producer.join(5_000);
        assertThat(result[0]).isEqualTo(Sinks.EmitResult.OK);
    }

    @Test
    void manyThreadsEmitConcurrentlyAndEachThreadsOrderIsKept() throws InterruptedException {
        RingBuffer ring = Rings.ring("emitter-threads", 1 << 12);
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        int threads = 4;
        int each = 5_000;
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = (long) t << 32;
            Thread producer = new Thread(() -> {
                for (long i = 0; i < each; i++) {
                    try {
                        if (emitter.emit(base | i, Duration.ofSeconds(10)) != Sinks.EmitResult.OK) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            producers.add(producer);
            producer.start();
        }
        Map<Long, Long> next = new HashMap<>();
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq).take((long) threads * each))
                .thenConsumeWhile(value -> {
                    long thread = value >>> 32;
                    long expected = next.getOrDefault(thread, 0L);
                    next.put(thread, expected + 1);
                    return (value & 0xFFFF_FFFFL) == expected;
                })
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        for (Thread producer : producers) {
            producer.join(5_000);
        }
        assertThat(next.values()).containsOnly((long) each);
        assertThat(ring.droppedRecords()).isZero();
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsWaitingForRoomParkAndAllGetIn() throws Exception {
        RingBuffer ring = Rings.ring("emitter-virtual", 256); // 15 records: most emitters wait
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        int threads = 200;
        List<Sinks.EmitResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        // Reflection: the build targets Java 17, where Thread.startVirtualThread does not exist.
        java.lang.reflect.Method startVirtual = Thread.class.getMethod("startVirtualThread", Runnable.class);
        for (int t = 0; t < threads; t++) {
            long value = t;
            started.add((Thread) startVirtual.invoke(null, (Runnable) () -> {
                try {
                    results.add(emitter.emit(value, Duration.ofSeconds(20)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        StepVerifier.create(RingBufferFlux.decode(ring, Rings::seq).take(threads))
                .expectNextCount(threads)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        for (Thread thread : started) {
            thread.join(5_000);
        }
        assertThat(results).hasSize(threads).containsOnly(Sinks.EmitResult.OK);
        assertThat(ring.droppedRecords()).isZero();
    }

    /** Issue 20: a timeout too long for nanoseconds threw ArithmeticException at once; it saturates now. */
    @Test
    void aTimeoutTooLongForNanosecondsSaturatesInsteadOfThrowing() throws InterruptedException {
        RingBuffer ring = Rings.ring("emitter-forever", 64);
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        assertThat(emitter.emit(1L, Duration.ofMillis(Long.MAX_VALUE))).isEqualTo(Sinks.EmitResult.OK);
        assertThat(emitter.emit(2L, java.time.temporal.ChronoUnit.FOREVER.getDuration()))
                .isEqualTo(Sinks.EmitResult.OK);
    }

    /**
     * Issue 20: a waiting emit stands in the ring's one queue of waiters, so a tryEmit caller cannot take the space
     * the consumer freed for it (it could, and starve it, with the reactor's own waiter list).
     */
    @Test
    void aWaitingEmitIsNotStarvedByTryEmitCallers() throws Exception {
        RingBuffer ring = Rings.ring("emitter-fair", 64); // 3 records of 16 bytes
        RingEmitter<Long> emitter = RingEmitter.create(ring, RingBufferSenderTest.LONGS);
        for (long i = 0; i < 3; i++) {
            assertThat(emitter.tryEmit(i)).isEqualTo(Sinks.EmitResult.OK);
        }
        java.util.concurrent.CompletableFuture<Sinks.EmitResult> waited = new java.util.concurrent.CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                waited.complete(emitter.emit(100L, Duration.ofSeconds(30)));
            } catch (Throwable t) {
                waited.completeExceptionally(t);
            }
        }, "waiting-emit");
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!parkedWaitingForSpace(waiter)) {
            assertThat(System.nanoTime()).as("the emit waits for space").isLessThan(deadline);
            Thread.onSpinWait();
        }
        List<Long> seen = new ArrayList<>();
        assertThat(ring.consume(record -> seen.add(Rings.seq(record)), 1)).isEqualTo(1);
        // Room for one record: the waiting emit's (before it claims it, a tryEmit must not take it; after, full).
        assertThat(emitter.tryEmit(3L)).isEqualTo(Sinks.EmitResult.FAIL_OVERFLOW);
        assertThat(waited.get(30, TimeUnit.SECONDS)).isEqualTo(Sinks.EmitResult.OK);
        ring.consume(record -> seen.add(Rings.seq(record)));
        assertThat(seen).as("the waiting emit's value came before any later tryEmit's").startsWith(0L, 1L, 2L, 100L);
    }

    private static boolean parkedWaitingForSpace(Thread thread) {
        if (thread.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("dev.ringbuf.core.WaitingProducers")) {
                return true;
            }
        }
        return false;
    }
}
