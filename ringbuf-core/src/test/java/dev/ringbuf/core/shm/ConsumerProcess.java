package dev.ringbuf.core.shm;

import dev.ringbuf.core.RingBuffer;
import java.nio.file.Path;

/**
 * The consumer process of the cross-process tests: opens a ring file and consumes records of
 * ({@code producerId}, {@code sequence}) in batches of {@code batch}; on the record with sequence {@code holdAt} it
 * prints {@code HOLDING <sequence>} and blocks inside the handler (holding the consumer guard, its batch not yet
 * freed) until it is killed.
 *
 * <p>Arguments: {@code <file> <batch> <holdAt>}.
 */
public final class ConsumerProcess {

    private ConsumerProcess() {
    }

    /**
     * Entry point.
     *
     * @param args file, batch size, sequence to block at
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        final RingBuffer ring = RingBuffer.builder().file(Path.of(args[0])).open();
        final int batch = Integer.parseInt(args[1]);
        final long holdAt = Long.parseLong(args[2]);
        while (true) {
            ring.consume(record -> {
                if (record.getLong(8) == holdAt) {
                    System.out.println("HOLDING " + holdAt);
                    System.out.flush();
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(); // inside the batch until killed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, batch);
        }
    }
}
