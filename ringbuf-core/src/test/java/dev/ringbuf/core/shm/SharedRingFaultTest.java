package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.Wakeup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a ring file, simulated in one JVM with several mappings of the same file (each mapping stands for a
 * process): stalled producers, corrupted consumer positions, dead and stale consumers, cross-mapping wakeups.
 */
class SharedRingFaultTest {

    private static final Duration STALL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private Path file;

    private RingBuffer create(int capacity, int maxRecordSize) throws IOException {
        file = dir.resolve("ring");
        return RingBuffer.builder().file(file).capacity(capacity).maxRecordSize(maxRecordSize).stallTimeout(STALL)
                .create();
    }

    private RingBuffer open() throws IOException {
        return RingBuffer.builder().file(file).stallTimeout(STALL).open();
    }

    /** Polls {@code condition} until it holds or 10 s pass (a bound, not a timing assumption). */
    private static void await(BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void aRecordBusyPastTheStallTimeoutIsAbandonedAndItsLateCommitFails() throws Exception {
        final RingBuffer consumer = create(1024, 64);
        final RingBuffer stalled = open();
        final RingBuffer other = open();
        final Reservation busy = stalled.reserve(8);
        busy.putLong(0, -1);
        assertThat(other.output(new byte[] {7})).isTrue();

        final List<Byte> seen = new ArrayList<>();
        assertThat(consumer.consume(r -> seen.add(r.getByte(0)))).as("head of line: waits at the busy record").isZero();
        // awaitData also ends once the stall timeout has passed, so that the next consume abandons the record
        assertThat(consumer.awaitData(Duration.ofSeconds(10))).isTrue();
        await(() -> consumer.consume(r -> seen.add(r.getByte(0))) > 0);
        assertThat(seen).containsExactly((byte) 7);
        assertThat(consumer.abandonedRecords()).isEqualTo(1);
        assertThat(other.abandonedRecords()).as("persisted in the file").isEqualTo(1);

        assertThatThrownBy(busy::commit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("abandoned").hasMessageContaining(file.toString());
        // the ring goes on, intact
        assertThat(other.output(new byte[] {8})).isTrue();
        assertThat(consumer.consume(r -> seen.add(r.getByte(0)))).isEqualTo(1);
        assertThat(seen).containsExactly((byte) 7, (byte) 8);
        assertThat(consumer.availableData()).isZero();
    }

    @Test
    void aLateCommitALapLaterDoesNotCommitTheNewRecordAtTheSameOffset() throws Exception {
        final RingBuffer consumer = create(256, 64);
        final RingBuffer slow = open();
        final RingBuffer other = open();
        final Reservation old = slow.reserve(24); // position 0, 32 bytes: lap after lap records land on offset 0
        assertThat(old.position()).isZero();
        assertThat(consumer.consume(r -> { })).isZero();
        await(() -> {
            consumer.consume(r -> { });
            return consumer.abandonedRecords() == 1;
        });
        while (other.producerPosition() % 256 != 0) {
            assertThat(other.output(new byte[24])).isTrue();
            consumer.consume(r -> { });
        }
        final Reservation fresh = other.reserve(24);
        assertThat(fresh.position()).isEqualTo(256);
        assertThat(fresh.offset()).isEqualTo(old.offset());

        // same offset, same length, busy: only the lap tag tells the two reservations apart
        assertThatThrownBy(old::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("abandoned");
        assertThat(consumer.consume(r -> { })).as("the new record is still busy").isZero();
        fresh.putLong(0, 42).putLong(16, 43).commit();
        final List<Long> seen = new ArrayList<>();
        assertThat(consumer.consume(r -> seen.add(r.getLong(0) + r.getLong(16)))).isEqualTo(1);
        assertThat(seen).containsExactly(85L);
        assertThat(consumer.abandonedRecords()).isEqualTo(1);
    }

    @Test
    void aProducerKilledBeforeWritingItsHeaderIsSkippedToTheNextRecord() throws Exception {
        final RingBuffer consumer = create(1024, 64);
        final RingBuffer producer = open();
        // a claim whose busy header was never written: the position moved, the space stayed zero
        RingFiles.putLong(file, RingFiles.PRODUCER_POSITION, 48);
        RingFiles.putLong(file, RingFiles.CONSUMER_CACHE, 0);
        assertThat(producer.output(new byte[] {5})).isTrue();
        final List<Long> seen = new ArrayList<>();
        await(() -> consumer.consume(r -> seen.add(r.position())) > 0);
        assertThat(seen).containsExactly(48L);
        assertThat(consumer.abandonedRecords()).isEqualTo(1);
        assertThat(consumer.consumerPosition()).isEqualTo(64);
    }

    @Test
    void aConsumerPositionBeyondTheProducerIsNeverTrusted() throws Exception {
        final RingBuffer consumer = create(1024, 64);
        final RingBuffer producer = open();
        for (long i = 0; i < 8; i++) {
            producer.reserve(56).putLong(0, i).commit(); // 512 bytes, unconsumed
        }
        RingFiles.putLong(file, RingFiles.CONSUMER_POSITION, 4096);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 16; i++) {
                producer.reserve(56).commit();
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("consumer position 4096 is impossible")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> consumer.consume(r -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is corrupted").hasMessageContaining("consumer position 4096");

        // repaired by hand, every unconsumed record is still there
        RingFiles.putLong(file, RingFiles.CONSUMER_POSITION, 0);
        final List<Long> seen = new ArrayList<>();
        consumer.consume(r -> seen.add(r.getLong(0)), 8);
        assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void aConsumerPositionMovedAheadWithinRangeCannotMakeAProducerOverwriteUnconsumedRecords() throws Exception {
        // CVE-2024-41009's shape: an aligned consumer position, not beyond the producer, but past unconsumed records
        final RingBuffer consumer = create(1024, 64);
        final RingBuffer producer = open();
        for (long i = 0; i < 10; i++) {
            producer.reserve(56).putLong(0, i).commit(); // 640 bytes, unconsumed
        }
        RingFiles.putLong(file, RingFiles.CONSUMER_POSITION, 512);
        RingFiles.putLong(file, RingFiles.READ_POSITION, 512);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 16; i++) {
                if (producer.reserve(56) == null) {
                    break;
                }
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("is not free")
                .hasMessageContaining("nothing was written");

        RingFiles.putLong(file, RingFiles.CONSUMER_POSITION, 0);
        RingFiles.putLong(file, RingFiles.READ_POSITION, 0);
        final List<Long> seen = new ArrayList<>();
        consumer.consume(r -> seen.add(r.getLong(0)), 10);
        assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void theConsumerNoticesItsPositionChangedBehindItsBack() throws Exception {
        final RingBuffer consumer = create(1024, 64);
        consumer.output(new byte[8]);
        consumer.output(new byte[8]);
        assertThat(consumer.consume(r -> { }, 1)).isEqualTo(1);
        RingFiles.putLong(file, RingFiles.CONSUMER_POSITION, 0); // would make it zero and re-read consumed space
        RingFiles.putLong(file, RingFiles.READ_POSITION, 0);
        assertThatThrownBy(() -> consumer.consume(r -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed behind the consumer's back");
    }

    @Test
    void consumersMayTakeTurnsAcrossMappings() throws Exception {
        final RingBuffer first = create(1024, 64);
        final RingBuffer second = open();
        final List<Long> seen = new ArrayList<>();
        for (long i = 0; i < 6; i++) {
            first.reserve(8).putLong(0, i).commit();
            (i % 2 == 0 ? first : second).consume(r -> seen.add(r.getLong(0)));
        }
        assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aDeadConsumerProcessIsReplacedAndItsUnreleasedRecordsAreDeliveredAgain() throws Exception {
        final RingBuffer ring = create(1024, 64);
        for (long i = 0; i < 3; i++) {
            ring.reserve(8).putLong(0, i).commit();
        }
        // the dead consumer held the guard and had read two records without releasing them
        RingFiles.putLong(file, RingFiles.CONSUMER_GUARD, deadPid() << 32);
        RingFiles.putLong(file, RingFiles.READ_POSITION, 32);

        final RingBuffer successor = open();
        final List<Long> seen = new ArrayList<>();
        assertThat(successor.consume(r -> seen.add(r.getLong(0)))).isEqualTo(3);
        assertThat(seen).containsExactly(0L, 1L, 2L);
        assertThat(RingFiles.getLong(file, RingFiles.CONSUMER_GUARD)).as("guard given back").isZero();
    }

    @Test
    void aSuccessorFinishesTheZeroingOfAConsumerThatDiedWhileFreeing() throws Exception {
        final RingBuffer ring = create(1024, 64);
        for (long i = 0; i < 3; i++) {
            ring.reserve(8).putLong(0, i).commit(); // 16 bytes each
        }
        // the dead consumer had consumed two records, noted that it frees up to 32, zeroed the first header, died
        RingFiles.putLong(file, RingFiles.READ_POSITION, 32);
        RingFiles.putLong(file, RingFiles.FREEING_TO, 32);
        RingFiles.putLong(file, RingFiles.DATA, 0);
        RingFiles.putLong(file, RingFiles.CONSUMER_GUARD, deadPid() << 32);

        final RingBuffer successor = open();
        final List<Long> seen = new ArrayList<>();
        assertThat(successor.consume(r -> seen.add(r.getLong(0)))).isEqualTo(1);
        assertThat(seen).containsExactly(2L);
        assertThat(RingFiles.getLong(file, RingFiles.DATA + 16)).as("the rest of the freed space is zeroed").isZero();
        assertThat(successor.consumerPosition()).isEqualTo(48);
        assertThat(successor.abandonedRecords()).isZero();
    }

    private static long deadPid() throws Exception {
        final Process gone = new ProcessBuilder(javaBin(), "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(gone.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return gone.pid();
    }

    // A live consumer in another process is not displaced: CrossProcessTest, with a real consumer JVM that maps the
    // file. A live process that does not map it is taken over: ForeignWritesTest.

    @Test
    void aStaleConsumerIsFencedOff() throws Exception {
        final RingBuffer ring = create(1024, 64);
        ring.output(new byte[8]);
        final long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertThatThrownBy(() -> ring.consume(r -> {
            try {
                RingFiles.putLong(file, RingFiles.CONSUMER_GUARD, parent << 32); // another process took over
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("fenced off")
                .hasMessageContaining("pid " + parent);
    }

    @Test
    void twoConsumersOfOneProcessAreStillExclusive() throws Exception {
        final RingBuffer ring = create(1024, 64);
        final RingBuffer second = open();
        ring.output(new byte[8]);
        assertThatThrownBy(() -> ring.consume(r -> second.consume(x -> { }))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has an active consumer").hasMessageContaining("this process");
        assertThat(second.consume(r -> { })).as("nothing lost: the throwing handler consumed its record").isZero();
    }

    @Test
    void awaitDataSeesACommitFromAnotherMapping() throws Exception {
        final RingBuffer consumer = create(1024, 64);
        final RingBuffer producer = open();
        assertThat(consumer.awaitData(Duration.ofMillis(1))).isFalse();
        final Thread thread = new Thread(() -> producer.output(new byte[] {1}));
        final boolean[] ready = new boolean[1];
        final Thread waiter = new Thread(() -> {
            try {
                ready[0] = consumer.awaitData(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        thread.start();
        waiter.join(TimeUnit.SECONDS.toMillis(40));
        assertThat(ready[0]).isTrue();
        producer.endStream(); // any handle may end the stream (close() on an opened handle would only detach it)
        assertThat(consumer.consume(r -> { })).isEqualTo(1);
        assertThat(consumer.awaitData(Duration.ofSeconds(30))).as("closed and drained").isFalse();
        assertThat(consumer.isClosedAndDrained()).isTrue();
    }

    @Test
    void theWakeupListenerHearsAForcedCommitFromAnotherMapping() throws Exception {
        final RingBuffer consumer = create(1024, 64);
        final RingBuffer producer = open();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch woken = new CountDownLatch(2);
        consumer.setWakeupListener(() -> {
            started.countDown();
            woken.countDown();
        });
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the watcher wakes once when it starts").isTrue();
            // the watcher has published itself before that first wakeup: a FORCE commit now must ring
            producer.output(new byte[] {1}, Wakeup.FORCE);
            assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(producer.wakeups()).isEqualTo(1);
        } finally {
            consumer.setWakeupListener(null);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
