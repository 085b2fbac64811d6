package dev.ringbuf.core;

import java.time.Instant;
import java.util.Optional;

/**
 * The identity a consumer process writes into the consumer guard word of a ring file while it consumes:
 * {@code pid << 32 | hash(process start time)}. The start time tells a dead consumer from a new process that the
 * kernel gave the same pid, so a recycled pid cannot keep a dead consumer's claim alive forever.
 */
final class ConsumerToken {

    private static final long CURRENT = tokenOf(ProcessHandle.current());

    private ConsumerToken() {
    }

    /**
     * This process's token.
     *
     * @return a non-zero token
     */
    static long current() {
        return CURRENT;
    }

    private static long tokenOf(ProcessHandle process) {
        return process.pid() << 32 | (startHash(process) & 0xFFFF_FFFFL);
    }

    private static int startHash(ProcessHandle process) {
        final Optional<Instant> start = process.info().startInstant();
        // 0 when the platform does not say: then only the pid identifies the owner.
        return start.map(instant -> Long.hashCode(instant.toEpochMilli() / 10)).orElse(0);
    }

    /**
     * Whether the process that wrote {@code token} is still running.
     *
     * @param token a guard word
     * @return {@code false} if no process has its pid, or the one that has was started at another time
     */
    static boolean isAlive(long token) {
        final long pid = token >>> 32;
        if (pid == 0) {
            return false; // not a process token (an in-process guard value or garbage)
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        final int expected = (int) token;
        final int actual = startHash(process.get());
        return expected == 0 || actual == 0 || expected == actual;
    }

    /**
     * A readable form for messages.
     *
     * @param token a guard word
     * @return "pid N"
     */
    static String describe(long token) {
        return "pid " + (token >>> 32);
    }
}
