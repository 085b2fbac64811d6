package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 1 of issue 11: a producer that stalls past the stall timeout. It learns at its next write or commit that its
 * record was abandoned, nothing it writes late damages a later lap, and the ring goes on for everyone else. Each
 * mapping of the file stands for a process; the real-process version is {@link FaultCampaignTest}.
 */
class StalledProducerTest {

    private static final Duration STALL = Duration.ofMillis(100);
    private static final int CAPACITY = 1024;

    @TempDir
    Path dir;

    private Path file;

    private RingBuffer create() throws IOException {
        file = dir.resolve("stall.ring");
        return RingBuffer.builder().file(file).capacity(CAPACITY).maxRecordSize(64).stallTimeout(STALL).create();
    }

    private RingBuffer open() throws IOException {
        return RingBuffer.builder().file(file).open();
    }

    /** Consumes until the record the consumer is blocked at has been abandoned (bounded: 10 s). */
    private static void abandonHeadOfLine(RingBuffer consumer, List<Long> seen) throws InterruptedException {
        final long before = consumer.abandonedRecords();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (consumer.abandonedRecords() == before) {
            assertThat(System.nanoTime() - deadline).as("abandoned within 10 s").isNegative();
            consumer.consume(r -> seen.add(r.getLong(0)));
            consumer.awaitData(Duration.ofMillis(20));
        }
    }

    @Test
    void theStalledProducerLearnsAtItsNextWriteAndNothingItWritesDamagesALaterLap() throws Exception {
        final RingBuffer consumer = create();
        final RingBuffer stalled = open();
        final RingBuffer other = open();
        final Reservation late = stalled.reserve(48);
        late.putLong(0, -1);
        final List<Long> seen = new ArrayList<>();
        abandonHeadOfLine(consumer, seen);

        // its next write says what happened, quoting the file's stall timeout; so do the ones after
        assertThatThrownBy(() -> late.putLong(8, -2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was abandoned by the consumer after the ring file's stall timeout of 100 ms")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(late::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("abandoned");
        assertThatThrownBy(() -> late.putLong(16, -3)).hasMessageContaining("abandoned");
        late.close(); // nothing left to discard: does not throw

        // ten laps of other records, the stalled producer trying to write between each: all refused, all intact
        long next = 0;
        for (int i = 0; i < 10 * CAPACITY / 32; i++) {
            final Reservation r = other.reserve(24);
            r.putLong(0, next).putLong(8, ~next).putLong(16, next * 31);
            assertThatThrownBy(() -> late.putLong(0, 0x1122334455667788L)).hasMessageContaining("abandoned");
            r.commit();
            next++;
            consumer.consume(rec -> {
                assertThat(rec.getLong(8)).isEqualTo(~rec.getLong(0));
                assertThat(rec.getLong(16)).isEqualTo(rec.getLong(0) * 31);
                seen.add(rec.getLong(0));
            });
        }
        assertThat(seen).hasSize((int) next);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(consumer.abandonedRecords()).isEqualTo(1);
    }

    @Test
    void aLateWriteThatSlippedPastTheCheckIsCleanedFromFreeSpaceAndNeverDelivered() throws Exception {
        final RingBuffer consumer = create();
        final RingBuffer stalled = open();
        final RingBuffer other = open();
        final Reservation late = stalled.reserve(48); // position 0: its payload is [8, 56)
        final List<Long> seen = new ArrayList<>();
        abandonHeadOfLine(consumer, seen);
        assertThat(consumer.consumerPosition()).as("the abandoned space is freed").isGreaterThanOrEqualTo(56);
        // A producer stopped between its check and its write writes once more, into the freed space: simulated here
        // by writing its bytes into the file where its payload was.
        RingFiles.putLong(file, RingFiles.DATA + late.offset(), 0x1122334455667788L);
        RingFiles.putLong(file, RingFiles.DATA + late.offset() + 16, 0x1122334455667788L);

        for (long i = 0; i < 3 * CAPACITY / 32; i++) {
            assertThat(other.output(longs(i, ~i, 7 * i))).as("reservations go on").isTrue();
            consumer.consume(rec -> {
                assertThat(rec.getLong(8)).isEqualTo(~rec.getLong(0));
                assertThat(rec.getLong(16)).isEqualTo(7 * rec.getLong(0));
                seen.add(rec.getLong(0));
            });
        }
        assertThat(seen).hasSize(3 * CAPACITY / 32);
        assertThat(consumer.availableData()).isZero();
    }

    @Test
    void garbageInFreeSpaceOutsideAnyAbandonedRecordIsCorruptionNamedAsSuch() throws Exception {
        final RingBuffer consumer = create();
        final RingBuffer producer = open();
        assertThat(producer.output(new byte[24])).isTrue();
        consumer.consume(r -> { });
        RingFiles.putLong(file, RingFiles.DATA + 64, 0x1122334455667788L); // free space no record was abandoned in
        assertThat(producer.output(new byte[24])).isTrue(); // [32, 64): clean
        assertThatThrownBy(() -> producer.output(new byte[24])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is corrupted: the space reserved at position 64 is not free")
                .hasMessageContaining("a stalled producer wrote after its record was abandoned");
    }

    private static byte[] longs(long... values) {
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * values.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }
}
