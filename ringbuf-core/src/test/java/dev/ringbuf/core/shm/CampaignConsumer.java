package dev.ringbuf.core.shm;

import dev.ringbuf.core.RingBuffer;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A consumer process of {@link FaultCampaignTest}: reads batches, appends every record's (id, sequence, checksum)
 * to its log and flushes it to the OS, and only then releases the batch; so a consumer killed at any point has
 * logged everything it released, and whatever it read but did not release is delivered again to its successor
 * (at-least-once).
 *
 * <p>Arguments: {@code <file> <log file>}.
 */
public final class CampaignConsumer {

    private CampaignConsumer() {
    }

    /**
     * Entry point.
     *
     * @param args file, log file
     * @throws Exception on any failure (the exit status tells the test)
     */
    public static void main(String[] args) throws Exception {
        final RingBuffer ring = RingBuffer.builder().file(Path.of(args[0])).open();
        try (DataOutputStream log = new DataOutputStream(new BufferedOutputStream(
                new FileOutputStream(args[1], true), 1 << 16))) {
            while (true) {
                final int n = ring.read(r -> {
                    try {
                        log.writeLong(r.getLong(0));
                        log.writeLong(r.getLong(8));
                        log.writeLong(r.getLong(16));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, 512);
                if (n > 0) {
                    log.flush();
                    ring.releaseTo(ring.readPosition());
                } else {
                    ring.awaitData(Duration.ofMillis(20));
                }
            }
        }
    }
}
