package dev.ringbuf.core.shm;

import dev.ringbuf.core.RingBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process of {@link TruncationTest}: opens a ring file, produces on one thread and consumes on another, prints
 * {@code READY} once both loops are warm (compiled), and exits when either fails, printing {@code FAILED <thread> <exception>}
 * (exit status 3). A ring file truncated under it must end in that line, never in a JVM crash.
 *
 * <p>Arguments: {@code <file>}.
 */
public final class TruncationVictimProcess {

    /** Records consumed before {@code READY}: enough for C1 and C2 to compile both loops' atomics. */
    private static final long WARM_RECORDS = 300_000;

    private TruncationVictimProcess() {
    }

    /**
     * Entry point.
     *
     * @param args the ring file
     * @throws Exception on a failure to open
     */
    public static void main(String[] args) throws Exception {
        final RingBuffer ring = RingBuffer.builder().file(Path.of(args[0])).open();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread producer = new Thread(() -> {
            try {
                final byte[] record = new byte[40];
                while (failure.get() == null) {
                    ring.output(record);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, "producer " + t);
            }
        });
        producer.setDaemon(true);
        producer.start();
        boolean ready = false;
        long consumed = 0;
        try {
            while (failure.get() == null) {
                consumed += ring.consume(r -> r.getLong(0));
                ring.awaitData(Duration.ofMillis(1));
                // READY only once both loops ran long enough for the JIT to compile the per-record atomics: an
                // atomic still in the interpreter can SIGBUS on a truncated mapping (the documented residual of
                // an early truncation, docs/shared-memory.md); this test asserts what always holds, not that.
                if (!ready && consumed > WARM_RECORDS) {
                    ready = true;
                    System.out.println("READY");
                    System.out.flush();
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, "consumer " + t);
        }
        System.out.println("FAILED " + failure.get());
        System.out.flush();
        System.exit(3);
    }
}
