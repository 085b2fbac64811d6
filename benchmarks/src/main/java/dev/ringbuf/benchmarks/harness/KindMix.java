package dev.ringbuf.benchmarks.harness;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * With {@code -Dringbuf.kindMix=true} (e.g. {@code -jvmArgsAppend -Dringbuf.kindMix=true}), a benchmark's setup first
 * runs three other ring kinds in the same JVM (in-process with a stall timeout, in-process overwrite, ring file), so
 * that the JIT profiles of the shared producer and consumer paths have seen several kinds before the measured one:
 * issue 20's "with three kinds used in the same JVM" A/B.
 */
public final class KindMix {

    private static boolean done;

    private KindMix() {
    }

    /** Runs the other kinds once per JVM, if the property asks for it. */
    public static synchronized void warmOtherKindsIfAsked() {
        if (done || !Boolean.getBoolean("ringbuf.kindMix")) {
            return;
        }
        done = true;
        try {
            final Path dir = Files.createTempDirectory("kind-mix");
            final Path file = dir.resolve("ring");
            exercise(RingBuffer.builder().capacity(1 << 16).stallTimeout(Duration.ofSeconds(10)).build());
            exercise(RingBuffer.builder().capacity(1 << 16).overwrite(true).build());
            exercise(RingBuffer.builder().file(file).capacity(1 << 16).create());
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void exercise(RingBuffer ring) {
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            try (Reservation r = ring.reserve(Records.SIZE)) {
                r.putLong(0, i).commit();
            }
            final int offset = ring.claim(Records.SIZE);
            ring.buffer().putLong(offset, i);
            ring.commit(offset);
            sum += ring.consume(record -> { });
        }
        ring.close();
        if (sum == 42) {
            System.out.print(""); // keeps the loop
        }
    }
}
