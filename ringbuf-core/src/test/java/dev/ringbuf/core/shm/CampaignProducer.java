package dev.ringbuf.core.shm;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer process of {@link FaultCampaignTest}: writes records of ({@code id}, {@code sequence},
 * {@code checksum}) with reserve, a put, a short pause, two puts and commit, until the stop file exists. A record
 * whose reservation the consumer abandoned (this process was stopped past the stall timeout) is reported as
 * {@code LOST <sequence>}; at the end it prints {@code DONE <next sequence>}.
 *
 * <p>Arguments: {@code <file> <id> <stop file>}.
 */
public final class CampaignProducer {

    private CampaignProducer() {
    }

    /** The checksum a record carries: any bytes a late write changes are caught. */
    static long checksum(long id, long seq) {
        return (id * 0x9E3779B97F4A7C15L) ^ (seq * 0xC2B2AE3D27D4EB4FL) ^ 0x5DEECE66DL;
    }

    /**
     * Entry point.
     *
     * @param args file, producer id, stop file
     * @throws Exception on any failure other than a lost record (the exit status tells the test)
     */
    public static void main(String[] args) throws Exception {
        final RingBuffer ring = RingBuffer.builder().file(Path.of(args[0])).open();
        final long id = Long.parseLong(args[1]);
        final Path stop = Path.of(args[2]);
        long seq = 0;
        int sinceLook = 0;
        while (true) {
            if (++sinceLook == 256) {
                sinceLook = 0;
                if (Files.exists(stop)) {
                    break;
                }
            }
            final Reservation r = ring.reserve(24);
            if (r == null) {
                LockSupport.parkNanos(50_000); // full: the consumer is behind (or stopped); retried, not lost
                continue;
            }
            try {
                r.putLong(0, id);
                // Inside the reservation, so that a stop lands there often (and it paces the campaign): the next
                // write must learn whether the record was abandoned meanwhile.
                LockSupport.parkNanos(20_000);
                r.putLong(8, seq).putLong(16, checksum(id, seq));
                r.commit();
            } catch (IllegalStateException lost) {
                if (!lost.getMessage().contains("abandoned")) {
                    throw lost;
                }
                System.out.println("LOST " + seq);
                System.out.flush();
            }
            seq++;
        }
        System.out.println("DONE " + seq);
        System.out.flush();
    }
}
