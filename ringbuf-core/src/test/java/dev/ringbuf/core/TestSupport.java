package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers shared by the core tests: bounded waits (never sleeps) and payload patterns. */
final class TestSupport {

    /** Upper bound of every wait in the tests: far above any legitimate delay, so only a hang reaches it. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private TestSupport() {
    }

    /** The payload byte {@code index} of a record identified by {@code a} and {@code b}. */
    static byte pattern(long a, long b, int index) {
        return (byte) (a * 131 + b * 31 + index * 7 + (index >>> 8));
    }

    /** A payload of {@code length} bytes of {@link #pattern}. */
    static byte[] patternBytes(long a, long b, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = pattern(a, b, i);
        }
        return bytes;
    }

    /** Polls {@code condition} until it holds; fails after {@link #WAIT_NANOS}. Yields between polls. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.yield();
        }
    }

    /** Waits until {@code thread} is parked inside {@code ring.awaitData}. */
    static void awaitParkedIn(RingBuffer ring, Thread thread) {
        awaitCondition(thread.getName() + " is parked in awaitData",
                () -> LockSupport.getBlocker(thread) == ring
                        && thread.getState() == Thread.State.TIMED_WAITING);
    }

    /** Consumes every ready record and returns copies of their payloads. */
    static List<byte[]> drain(RingBuffer ring) {
        List<byte[]> payloads = new ArrayList<>();
        ring.consume(record -> payloads.add(record.toByteArray()));
        return payloads;
    }

    /**
     * Asserts that the ring still works after a bad input: a new record goes through, and the records committed
     * before (given) are delivered first, in order, and nothing else.
     */
    static void assertUsableAndIntact(RingBuffer ring, byte[]... committedBefore) {
        byte[] probe = {(byte) 0xA5, 0x5A, 1, 2, 3};
        assertThat(ring.output(probe)).as("a record after the bad input is accepted").isTrue();
        List<byte[]> seen = drain(ring);
        List<byte[]> expected = new ArrayList<>(List.of(committedBefore));
        expected.add(probe);
        assertThat(seen).as("records delivered after the bad input").containsExactlyElementsOf(expected);
        assertThat(ring.availableData()).isZero();
    }
}
