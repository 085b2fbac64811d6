package dev.ringbuf.core.shm;

import dev.ringbuf.core.RingBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A consumer process that reads records without releasing them and then waits outside any consumer call (the guard
 * given back) until it is killed: {@code read(handler, count)}, prints {@code READ <first> <last>} (the sequences in
 * the records' first long), then blocks.
 *
 * <p>Arguments: {@code <file> <count>}.
 */
public final class ReadAndHoldProcess {

    private ReadAndHoldProcess() {
    }

    /**
     * Entry point.
     *
     * @param args file, records to read
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        final RingBuffer ring = RingBuffer.builder().file(Path.of(args[0])).open();
        final long[] seen = {-1, -1};
        final int read = ring.read(record -> {
            if (seen[0] < 0) {
                seen[0] = record.getLong(0);
            }
            seen[1] = record.getLong(0);
        }, Integer.parseInt(args[1]));
        System.out.println("READ " + read + " " + seen[0] + " " + seen[1]);
        System.out.flush();
        new CountDownLatch(1).await(); // between consumer calls, records held, until killed
    }
}
