package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.RingBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults 2 and 5 of issue 11: another process writes the consumer position while the consumer runs, or writes a
 * guard word naming a live process that is not a consumer.
 */
class ForeignWritesTest {

    @TempDir
    Path dir;

    private Path file;
    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private RingBuffer create() throws IOException {
        file = dir.resolve("foreign.ring");
        return RingBuffer.builder().file(file).capacity(1024).maxRecordSize(64).stallTimeout(Duration.ofMillis(200))
                .create();
    }

    /** Consumes until the foreign guard word is taken over (bounded: 10 s); returns the refusals before. */
    private static int consumeUntilTakenOver(RingBuffer ring, String owner) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int refusals = 0;
        while (true) {
            assertThat(System.nanoTime() - deadline).as("taken over within 10 s").isNegative();
            try {
                assertThat(ring.consume(r -> { })).isEqualTo(1);
                return refusals;
            } catch (IllegalStateException refused) {
                assertThat(refused).hasMessageContaining("already has an active consumer (" + owner + ")");
                refusals++;
                Thread.onSpinWait();
            }
        }
    }

    /** The guard word the library would write for {@code process}: pid and a hash of its start time. */
    private static long tokenOf(ProcessHandle process) {
        final long startHash = process.info().startInstant()
                .map(instant -> Long.hashCode(instant.toEpochMilli() / 10)).orElse(0) & 0xFFFF_FFFFL;
        return process.pid() << 32 | startHash;
    }

    @Test
    void aConsumerPositionSetToAPlausibleOlderValueDuringAHandlerIsCaughtAndNothingIsZeroed() throws Exception {
        final RingBuffer ring = create();
        for (long seq = 0; seq < 20; seq++) {
            ring.reserve(24).putLong(0, seq).putLong(8, ~seq).putLong(16, seq * 7).commit(); // 32 bytes each
        }
        assertThat(ring.consume(r -> { }, 4)).isEqualTo(4); // consumer position 128
        final List<Long> delivered = new ArrayList<>();
        assertThatThrownBy(() -> ring.consume(r -> {
            // every record delivered is whole
            assertThat(r.getLong(8)).isEqualTo(~r.getLong(0));
            assertThat(r.getLong(16)).isEqualTo(r.getLong(0) * 7);
            delivered.add(r.getLong(0));
            if (r.getLong(0) == 8) {
                try {
                    RingFiles.putLong(file, RingFiles.CONSUMER_POSITION, 32); // older, aligned, in range
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is corrupted: consumer position 32 was changed behind the consumer's back")
                .hasMessageContaining("nothing was freed");
        assertThat(delivered).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
                19L);
        // nothing was zeroed: every record from the consumer position the consumer published on is still in the file
        for (long seq = 4; seq < 20; seq++) {
            assertThat(RingFiles.getLong(file, RingFiles.DATA + seq * 32 + 8)).as("record %d", seq).isEqualTo(seq);
            assertThat(RingFiles.getLong(file, RingFiles.DATA + seq * 32)).as("header %d", seq).isNotZero();
        }
        // and it stays refused, rather than zeroing from the foreign value later
        assertThatThrownBy(() -> ring.consume(r -> { })).hasMessageContaining("changed behind the consumer's back");
    }

    @Test
    void aGuardWordNamingPid1IsTakenOver() throws Exception {
        final RingBuffer ring = create();
        ring.output(new byte[] {1});
        final ProcessHandle init = ProcessHandle.of(1).orElseThrow();
        // even with pid 1's real start time: where its mappings can be read, it does not map the ring (taken over at
        // once); where they cannot (this sandbox), it never renews the consumer lease (taken over after the stall
        // timeout)
        RingFiles.putLong(file, RingFiles.CONSUMER_GUARD, tokenOf(init));
        final long started = System.nanoTime();
        final int refusals = consumeUntilTakenOver(ring, "pid 1");
        if (refusals > 0) {
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        }
        assertThat(RingFiles.getLong(file, RingFiles.CONSUMER_GUARD)).as("given back").isZero();
        RingFiles.putLong(file, RingFiles.CONSUMER_GUARD, 1L << 32); // pid 1 without a start time: at once
        ring.output(new byte[] {2});
        assertThat(ring.consume(r -> { })).isEqualTo(1);
    }

    @Test
    void aConsumerThatHoldsTheGuardInALongHandlerKeepsItsLease() throws Exception {
        final RingBuffer consumer = create();
        final RingBuffer contender = RingBuffer.builder().file(file).open();
        consumer.output(new byte[] {1});
        // the holder is this process, so the contender is refused as "this process" whatever the lease; the lease
        // word must still move while a handler runs for longer than the stall timeout
        final long before = RingFiles.getLong(file, RingFiles.CONSUMER_LEASE);
        assertThat(consumer.consume(r -> {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (RingFiles.getLong(file, RingFiles.CONSUMER_LEASE) < before + 3) {
                    assertThat(System.nanoTime() - deadline).as("lease renewed within 10 s").isNegative();
                    Thread.onSpinWait();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThatThrownBy(() -> contender.consume(x -> { })).hasMessageContaining("active consumer");
        })).isEqualTo(1);
    }

    @Test
    void aGuardWordNamingALiveProcessThatDoesNotMapTheRingIsTakenOver() throws Exception {
        final RingBuffer ring = create();
        ring.output(new byte[] {1});
        child = new ProcessBuilder("sleep", "60").start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (child.toHandle().info().startInstant().isEmpty()) { // /proc entry readable
            assertThat(System.nanoTime() - deadline).isNegative();
            Thread.onSpinWait();
        }
        RingFiles.putLong(file, RingFiles.CONSUMER_GUARD, tokenOf(child.toHandle()));
        assertThat(ring.consume(r -> { })).isEqualTo(1);
        assertThat(child.isAlive()).isTrue();
    }
}
