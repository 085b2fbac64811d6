package dev.ringbuf.core.shm;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The producer process of the cross-process tests: opens a ring file and writes {@code count} records of 16 bytes
 * ({@code producerId}, {@code sequence}) on the zero-allocation path, retrying while the ring is full. With
 * {@code block} it then reserves one more record, prints {@code RESERVED <position>} and blocks without committing,
 * waiting to be killed. With {@code close} it holds the ring in try-with-resources, as an application would, and
 * closes its handle when done (which detaches this process only).
 *
 * <p>Arguments: {@code <file> <producerId> <count> [block|close]}.
 */
public final class ProducerProcess {

    private ProducerProcess() {
    }

    /**
     * Entry point.
     *
     * @param args file, producer id, record count, optional "block"
     * @throws Exception on any failure (the exit status tells the test)
     */
    public static void main(String[] args) throws Exception {
        final Path file = Path.of(args[0]);
        final long id = Long.parseLong(args[1]);
        final long count = Long.parseLong(args[2]);
        final boolean block = args.length > 3 && "block".equals(args[3]);
        if (args.length > 3 && "close".equals(args[3])) {
            final RingBuffer handle;
            try (RingBuffer ring = RingBuffer.builder().file(file).open()) {
                produce(ring, id, count);
                handle = ring;
            }
            System.out.println("CLOSED " + count + " closed=" + handle.isClosed());
            return;
        }
        final RingBuffer ring = RingBuffer.builder().file(file).open();
        produce(ring, id, count);
        if (block) {
            Reservation reservation;
            while ((reservation = ring.reserve(16)) == null) {
                Thread.yield();
            }
            reservation.putLong(0, id).putLong(8, count);
            System.out.println("RESERVED " + reservation.position());
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await(); // between reserve and commit until killed: never counted down
        }
        System.out.println("DONE " + count + " dropped(full, retried)=" + ring.droppedRecords());
    }

    private static void produce(RingBuffer ring, long id, long count) {
        final ByteBuffer buffer = ring.buffer();
        long seq = 0;
        while (seq < count) {
            final int offset = ring.claim(16);
            if (offset == RingBuffer.CLAIM_FAILED) {
                Thread.yield(); // full: the consumer is behind; nothing is lost, the record is retried
                continue;
            }
            buffer.putLong(offset, id).putLong(offset + 8, seq);
            ring.commit(offset);
            seq++;
        }
    }
}
