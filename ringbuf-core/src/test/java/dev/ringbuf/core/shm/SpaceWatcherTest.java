package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.SpaceWaiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producers waiting for space in a ring file whose consumer is not this handle (another process, here another
 * mapping in this JVM, which shares nothing with it but the file): the handle's one space watcher thread sees the
 * consumer position move and wakes the waiting thread or callback, without any waiter polling on its own.
 */
class SpaceWatcherTest {

    @TempDir
    Path dir;

    private RingBuffer consumerSide;
    private RingBuffer producerSide;

    @AfterEach
    void close() {
        if (producerSide != null) {
            producerSide.close();
        }
        if (consumerSide != null) {
            consumerSide.close();
        }
    }

    /** Two handles on one full ring file (256 bytes, six 40-byte records). */
    private void fullRingFile() throws Exception {
        Path file = dir.resolve("space");
        consumerSide = RingBuffer.builder().file(file).capacity(256).maxRecordSize(64).create();
        producerSide = RingBuffer.builder().file(file).open();
        for (int i = 0; i < 6; i++) {
            assertThat(producerSide.output(new byte[32])).isTrue();
        }
        assertThat(producerSide.tryClaim(32)).isEqualTo(RingBuffer.CLAIM_FULL);
    }

    @Test
    void aCallbackWaiterIsWokenByTheWatcherWhenAnotherHandleConsumes() throws Exception {
        fullRingFile();
        CompletableFuture<String> wokenOn = new CompletableFuture<>();
        SpaceWaiter waiter = producerSide.spaceWaiter(() -> wokenOn.complete(Thread.currentThread().getName()));
        assertThat(waiter.tryClaim(32)).isEqualTo(RingBuffer.CLAIM_FULL);
        assertThat(consumerSide.consume(record -> { }, 1)).isEqualTo(1);
        assertThat(wokenOn.get(30, TimeUnit.SECONDS)).startsWith("ringbuf-space-");
        assertThat(waiter.tryClaim(32)).isNotNegative();
    }

    @Test
    void aWaitingThreadIsWokenByTheWatcherWhenAnotherHandleConsumes() throws Exception {
        fullRingFile();
        CompletableFuture<Boolean> reserved = new CompletableFuture<>();
        Thread producer = new Thread(() -> {
            try {
                reserved.complete(producerSide.output(new byte[32], Duration.ofHours(1)));
            } catch (Throwable t) {
                reserved.completeExceptionally(t);
            }
        }, "waiting-producer");
        producer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (producer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(consumerSide.consume(record -> { }, 1)).isEqualTo(1);
        assertThat(reserved.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(producerSide.droppedRecords()).as("only the probe's full output").isEqualTo(0);
    }
}
