package dev.ringbuf.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The identity a consumer process writes into the consumer guard word of a ring file while it consumes:
 * {@code pid << 32 | hash(process start time)}.
 *
 * <p>A token names the consumer that holds the guard only while all of these hold ({@link #holdsRing}): a process
 * with that pid runs; its start time hashes to the token's (a recycled pid, or a forged word naming a process by pid
 * alone, does not); and, where Linux lets us read {@code /proc/<pid>/maps}, that process maps the ring file. A process
 * that does not map the file cannot be inside a consumer call, so a guard word naming it (written by a crash, a bug or
 * a hostile process) is taken over instead of locking consumers out for good. Where the maps cannot be read (another
 * user's process, or a process such as pid 1 that the kernel does not let us inspect) the answer is
 * {@link #UNKNOWN}, and the guard decides with the consumer's lease ({@link ConsumerLease}).
 */
final class ConsumerToken {

    /** {@link #holdsRing}: the token names no process that can be consuming the ring file. */
    static final int NOT_HOLDER = 0;
    /** {@link #holdsRing}: a running process that maps the ring file. */
    static final int HOLDER = 1;
    /** {@link #holdsRing}: a running process with the token's start time, whose mappings cannot be read. */
    static final int UNKNOWN = 2;

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

    /** A hash of the process's start time (10 ms resolution); 0 when the platform does not say. */
    static int startHash(ProcessHandle process) {
        final Optional<Instant> start = process.info().startInstant();
        return start.map(instant -> Long.hashCode(instant.toEpochMilli() / 10)).orElse(0);
    }

    /**
     * Whether the process that wrote {@code token} may still be inside a consumer call of the ring file.
     *
     * @param token a guard word
     * @param inode the ring file's inode, or -1 if unknown
     * @return {@link #NOT_HOLDER} if no process has its pid, the one that has was started at another time, or it does
     *     not map the ring file; {@link #HOLDER} if it maps it; {@link #UNKNOWN} if its mappings cannot be read
     */
    static int holdsRing(long token, long inode) {
        final long pid = token >>> 32;
        if (pid == 0) {
            return NOT_HOLDER; // not a process token (an in-process guard value or garbage)
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return NOT_HOLDER;
        }
        final int expected = (int) token;
        final int actual = startHash(process.get());
        if (actual != 0 && expected != actual) {
            return NOT_HOLDER; // a recycled pid, or a word that names a process by pid alone
        }
        return inode < 0 ? UNKNOWN : mapsInode(pid, inode);
    }

    /** Whether process {@code pid} is stopped (SIGSTOP, a debugger): state T or t in {@code /proc/<pid>/stat}. */
    static boolean isStopped(long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final int end = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
            final char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'T' || state == 't';
        } catch (IOException | UncheckedIOException | SecurityException unreadable) {
            return false;
        }
    }

    /** From {@code /proc/<pid>/maps}: {@link #HOLDER}, {@link #NOT_HOLDER}, or {@link #UNKNOWN} if unreadable. */
    private static int mapsInode(long pid, long inode) {
        final Path maps = Path.of("/proc", Long.toString(pid), "maps");
        final String wanted = Long.toString(inode);
        try (BufferedReader reader = Files.newBufferedReader(maps)) {
            String line;
            while ((line = reader.readLine()) != null) {
                // address perms offset dev inode [path]
                final String[] fields = line.trim().split("\\s+", 6);
                if (fields.length >= 5 && fields[4].equals(wanted)) {
                    return HOLDER;
                }
            }
            return NOT_HOLDER;
        } catch (IOException | UncheckedIOException | SecurityException unreadable) {
            return UNKNOWN;
        }
    }

    /**
     * The inode of {@code path}, or -1 where the file system does not say.
     *
     * @param path a ring file
     * @return its inode
     */
    static long inodeOf(Path path) {
        try {
            final Object inode = Files.getAttribute(path, "unix:ino");
            return inode instanceof Long ? (Long) inode : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return -1;
        }
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
