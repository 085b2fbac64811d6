package dev.ringbuf.core;

import static dev.ringbuf.core.TestSupport.assertUsableAndIntact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.Record;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC section 7: every bad input gets a clear exception naming the value and the rule, and leaves the ring usable
 * with nothing committed lost.
 */
class BadInputTest extends ContractSuite {

    private static final byte[] BEFORE = {10, 20, 30};

    /** A ring with one committed record in it, which must survive every bad input. */
    private RingBuffer ringWithOneRecord() {
        RingBuffer ring = ring(RingBuffer.builder().name("bad").capacity(4096).maxRecordSize(1000));
        assertThat(ring.output(BEFORE)).isTrue();
        return ring;
    }

    // ------------------------------------------------------------------------------------------ configuration

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 32, 63, 65, 100, 3000, 4095, -64, -4096, (1L << 30) + 1, 1L << 31, 1L << 40})
    void capacityMustBeAPowerOfTwoInRange(long capacity) {
        assertThatThrownBy(() -> RingBuffer.builder().capacity(capacity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity " + capacity)
                .hasMessageContaining("power of two")
                .hasMessageContaining("64")
                .hasMessageContaining("2^30");
        if (capacity == (int) capacity) {
            assertThatThrownBy(() -> RingBuffer.allocate((int) capacity))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("capacity " + capacity);
        }
    }

    @Test
    void capacityBoundsAreAccepted() {
        assertThat(ring(64).capacity()).isEqualTo(64);
        assertThatCode(() -> RingBuffer.builder().capacity(1 << 30)).doesNotThrowAnyException();
    }

    @Test
    void capacityIsRequired() {
        assertThatThrownBy(() -> ring(RingBuffer.builder()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("capacity is required");
    }

    @Test
    void maxRecordSizeMustBeInRange() {
        assertThatThrownBy(() -> RingBuffer.builder().maxRecordSize(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize -1")
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> ring(RingBuffer.builder().capacity(4096).maxRecordSize(4096 - 15)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize 4081")
                .hasMessageContaining("between 0 and 4080")
                .hasMessageContaining("capacity - 16");
        assertThatThrownBy(() -> ring(RingBuffer.builder().capacity(64).maxRecordSize(Integer.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize " + Integer.MAX_VALUE);
        assertThat(ring(RingBuffer.builder().capacity(64).maxRecordSize(48)).maxRecordSize()).isEqualTo(48);
        assertThat(ring(RingBuffer.builder().capacity(64).maxRecordSize(0)).maxRecordSize()).isZero();
    }

    @Test
    void nameMustBeNonEmpty() {
        assertThatThrownBy(() -> RingBuffer.builder().name(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> RingBuffer.builder().name(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name must not be empty");
        assertThat(ring(RingBuffer.builder().name("named").capacity(64)).name()).isEqualTo("named");
        // The default name differs: InProcessOnlyTest and shm.RingFileOnlyTest.
    }

    // ------------------------------------------------------------------------------------------ record sizes

    @ParameterizedTest
    @ValueSource(ints = {-1, -8, Integer.MIN_VALUE, 1001, 4096, Integer.MAX_VALUE})
    void sizeOutsideZeroToMaxRecordSizeIsRejectedAndCountedOversize(int size) {
        RingBuffer ring = ringWithOneRecord();
        long producer = ring.producerPosition();
        assertThatThrownBy(() -> ring.reserve(size))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record size " + size)
                .hasMessageContaining("between 0 and maxRecordSize 1000")
                .hasMessageContaining("'bad'");
        assertThatThrownBy(() -> ring.claim(size))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record size " + size);
        assertThat(ring.droppedRecords(DropReason.OVERSIZE)).isEqualTo(2);
        if (size > 0 && size <= 4096) {
            assertThatThrownBy(() -> ring.output(new byte[size]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record size " + size);
            assertThatThrownBy(() -> ring.output(ByteBuffer.allocate(size)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record size " + size);
            assertThat(ring.droppedRecords(DropReason.OVERSIZE)).isEqualTo(4);
        }
        assertThat(ring.droppedRecords(DropReason.FULL)).isZero();
        assertThat(ring.producerPosition()).isEqualTo(producer);
        assertUsableAndIntact(ring, BEFORE);
    }

    // -------------------------------------------------------------------------------- finishing twice, garbage

    @Test
    void reservationFinishedTwiceThrowsAndLeavesTheRingIntact() {
        RingBuffer ring = ringWithOneRecord();
        Reservation r = ring.reserve(8).putLong(0, 7);
        r.commit();
        String rule = "already committed or discarded";
        assertThatThrownBy(r::commit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("position " + r.position()).hasMessageContaining(rule);
        assertThatThrownBy(r::discard).isInstanceOf(IllegalStateException.class).hasMessageContaining(rule);
        assertThatThrownBy(() -> r.commit(Wakeup.FORCE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.putLong(0, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining(rule);
        assertThatThrownBy(() -> r.putByte(0, (byte) 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(r::buffer).isInstanceOf(IllegalStateException.class);
        assertThatCode(r::close).as("close after commit is a no-op").doesNotThrowAnyException();

        Reservation d = ring.reserve(8);
        d.discard();
        assertThatThrownBy(d::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining(rule);
        assertThatThrownBy(d::discard).isInstanceOf(IllegalStateException.class).hasMessageContaining(rule);

        byte[] committed = {7, 0, 0, 0, 0, 0, 0, 0};
        assertUsableAndIntact(ring, BEFORE, committed);
        assertThat(ring.discardedRecords()).isEqualTo(1);
    }

    @Test
    void offsetFinishedTwiceThrowsAndLeavesTheRingIntact() {
        RingBuffer ring = ringWithOneRecord();
        int offset = ring.claim(4);
        ring.buffer().putInt(offset, 0x01020304);
        ring.commit(offset);
        assertThatThrownBy(() -> ring.commit(offset)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset " + offset).hasMessageContaining("not a live reservation")
                .hasMessageContaining("committed");
        assertThatThrownBy(() -> ring.discard(offset, Wakeup.NONE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset " + offset);

        int discarded = ring.claim(4);
        ring.discard(discarded);
        assertThatThrownBy(() -> ring.commit(discarded)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset " + discarded).hasMessageContaining("discarded");

        assertUsableAndIntact(ring, BEFORE, new byte[] {4, 3, 2, 1});
        // After consumption the space reads free: still rejected.
        assertThatThrownBy(() -> ring.commit(offset)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("free");
        assertUsableAndIntact(ring);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -8, -1, 0, 7, 9, 13, 4096 + 8, 4096 + 16, 1 << 20, Integer.MAX_VALUE})
    void garbageOffsetIsRejected(int offset) {
        RingBuffer ring = ringWithOneRecord();
        int live = ring.claim(3); // a live reservation next to the garbage
        ring.buffer().put(live, (byte) 9);
        assertThatThrownBy(() -> ring.commit(offset)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset " + offset).hasMessageContaining("not a live reservation");
        assertThatThrownBy(() -> ring.discard(offset)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset " + offset);
        ring.commit(live);
        assertUsableAndIntact(ring, BEFORE, new byte[] {9, 0, 0});
    }

    @Test
    void offsetOfUnclaimedSpaceIsRejected() {
        RingBuffer ring = ringWithOneRecord();
        int unclaimed = (int) ring.producerPosition() + 8 + 64; // aligned, in range, never claimed
        assertThatThrownBy(() -> ring.commit(unclaimed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset " + unclaimed).hasMessageContaining("free");
        assertUsableAndIntact(ring, BEFORE);
    }

    @Test
    void outOfBoundsAccessNamesIndexAndLength() {
        RingBuffer ring = ringWithOneRecord();
        try (Reservation r = ring.reserve(6)) {
            assertThatThrownBy(() -> r.putLong(0, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("index 0 with size 8").hasMessageContaining("length 6");
            assertThatThrownBy(() -> r.putByte(-1, (byte) 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("index -1");
            assertThatThrownBy(() -> r.putInt(3, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> r.putBytes(4, new byte[3], 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> r.putBytes(0, new byte[3], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            r.putShort(4, (short) 0x0102).commit();
        }
        List<Throwable> failures = new ArrayList<>();
        ring.consume(record -> {
            if (record.length() == 6) {
                for (Runnable bad : List.<Runnable>of(() -> record.getLong(0), () -> record.getByte(6),
                        () -> record.getShort(5), () -> record.getInt(-2),
                        () -> record.getBytes(2, new byte[10], 0, 5), () -> record.getBytes(0, new byte[2], 0, 3))) {
                    try {
                        bad.run();
                    } catch (IndexOutOfBoundsException expected) {
                        failures.add(expected);
                    }
                }
                assertThat(record.getShort(4)).isEqualTo((short) 0x0102);
            }
        });
        assertThat(failures).hasSize(6);
        assertThat(failures.get(0)).hasMessageContaining("index 0 with size 8").hasMessageContaining("length 6");
        assertUsableAndIntact(ring);
    }

    // ------------------------------------------------------------------------------------------ released records

    @Test
    void recordUsedAfterItsHandlerReturnedThrows() {
        RingBuffer ring = ringWithOneRecord();
        List<Record> kept = new ArrayList<>();
        List<Record> copies = new ArrayList<>();
        ring.consume(record -> {
            kept.add(record);
            copies.add(record.copy());
        });
        Record released = kept.get(0);
        assertThat(released.isReadable()).isFalse();
        String rule = "record used after release";
        for (Runnable use : List.<Runnable>of(released::length, released::position, released::offset,
                () -> released.getByte(0), () -> released.getShort(0), () -> released.getInt(0),
                () -> released.getLong(0), () -> released.getBytes(0, new byte[1], 0, 1), released::buffer,
                released::toByteArray, released::copy)) {
            assertThatThrownBy(use::run).isInstanceOf(IllegalStateException.class).hasMessageContaining(rule)
                    .hasMessageContaining("copy()");
        }
        assertThat(released.toString()).contains("released");
        Record copy = copies.get(0);
        assertThat(copy.isReadable()).isTrue();
        assertThat(copy.toByteArray()).isEqualTo(BEFORE);
        assertThat(copy.position()).isZero();
        assertThat(copy.copy()).isSameAs(copy);
        assertThat(copy.buffer().isReadOnly()).isTrue();
        assertUsableAndIntact(ring);
    }

    @Test
    void recordIsReleasedEvenWhenItsHandlerThrows() {
        RingBuffer ring = ringWithOneRecord();
        List<Record> kept = new ArrayList<>();
        assertThatThrownBy(() -> ring.consume(record -> {
            kept.add(record);
            throw new UncheckedIOException(new IOException("handler failed"));
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("handler failed");
        assertThat(kept.get(0).isReadable()).isFalse();
        assertThatThrownBy(() -> kept.get(0).getByte(0)).isInstanceOf(IllegalStateException.class);
        assertThat(ring.consumedRecords()).isEqualTo(1);
        assertUsableAndIntact(ring);
    }

    // ------------------------------------------------------------------------------------------ null arguments

    @Test
    void nullArgumentsAreRejectedByName() {
        RingBuffer ring = ringWithOneRecord();
        assertThatThrownBy(() -> ring.consume(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler must not be null");
        assertThatThrownBy(() -> ring.consume(null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> ring.read(null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> ring.output((byte[]) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("src must not be null");
        assertThatThrownBy(() -> ring.output(null, 0, 0, Wakeup.FORCE)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("src");
        assertThatThrownBy(() -> ring.output((ByteBuffer) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("src");
        assertThatThrownBy(() -> ring.output(new byte[1], 0, 1, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("wakeup must not be null");
        assertThatThrownBy(() -> ring.awaitData(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> ring.droppedRecords(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("reason");
        assertThat(ring.producerPosition()).as("nothing was reserved by a null call").isEqualTo(16);

        int offset = ring.claim(1);
        assertThatThrownBy(() -> ring.commit(offset, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("wakeup");
        assertThatThrownBy(() -> ring.discard(offset, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("wakeup");
        ring.buffer().put(offset, (byte) 5);
        ring.commit(offset); // still live after the rejected calls

        Reservation r = ring.reserve(2);
        assertThatThrownBy(() -> r.commit(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("wakeup");
        assertThatThrownBy(() -> r.discard(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("wakeup");
        assertThatThrownBy(() -> r.putBytes(0, null, 0, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("src");
        assertThatThrownBy(() -> r.putBytes(0, (ByteBuffer) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("src");
        assertThat(r.isLive()).isTrue();
        r.putByte(0, (byte) 6).commit();

        assertUsableAndIntact(ring, BEFORE, new byte[] {5}, new byte[] {6, 0});
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void consumeLimitMustBePositive(int limit) {
        RingBuffer ring = ringWithOneRecord();
        assertThatThrownBy(() -> ring.consume(record -> { }, limit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit " + limit).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> ring.read(record -> { }, limit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit " + limit);
        assertUsableAndIntact(ring, BEFORE);
    }

    @Test
    void releaseToOutsideTheReadRecordsIsRejected() {
        RingBuffer ring = ringWithOneRecord();
        ring.output(new byte[8]);
        assertThat(ring.read(record -> { }, 1)).isEqualTo(1);
        assertThatThrownBy(() -> ring.releaseTo(32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 32").hasMessageContaining("read position 16");
        assertThatThrownBy(() -> ring.releaseTo(-8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position -8").hasMessageContaining("consumer position 0");
        assertThatThrownBy(() -> ring.releaseTo(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 12").hasMessageContaining("multiple of 8");
        ring.releaseTo(16);
        assertUsableAndIntact(ring, new byte[8]);
    }

    // ------------------------------------------------------------------------------------------ second consumer

    @Test
    void secondConcurrentConsumerIsRejected() throws Exception {
        RingBuffer ring = ringWithOneRecord();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        List<byte[]> firstSaw = new ArrayList<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> first = executor.submit(() -> ring.consume(record -> {
                firstSaw.add(record.toByteArray());
                inside.countDown();
                try {
                    leave.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            String rule = "already has an active consumer";
            assertThatThrownBy(() -> ring.consume(record -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(variant.consumerGuardNames(ring)).hasMessageContaining(rule);
            assertThatThrownBy(() -> ring.consume(record -> { }, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(rule);
            assertThatThrownBy(() -> ring.read(record -> { }, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(rule);
            assertThatThrownBy(() -> ring.releaseTo(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(rule);
            assertThatThrownBy(() -> ring.awaitData(Duration.ofMillis(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(rule);
            assertThat(ring.output(new byte[] {1})).as("producers are unaffected").isTrue();
            leave.countDown();
            // The first consumer goes on to the record committed while it was inside: consume delivers all it sees.
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            leave.countDown();
            executor.shutdownNow();
        }
        assertThat(firstSaw).containsExactly(BEFORE, new byte[] {1});
        assertUsableAndIntact(ring);
    }

    @Test
    void consumingFromInsideAHandlerIsRejected() {
        RingBuffer ring = ringWithOneRecord();
        ring.output(new byte[] {2});
        List<Throwable> nested = new ArrayList<>();
        assertThat(ring.consume(record -> {
            try {
                ring.consume(inner -> { });
            } catch (IllegalStateException expected) {
                nested.add(expected);
            }
        })).isEqualTo(2);
        assertThat(nested).hasSize(2);
        assertUsableAndIntact(ring);
    }

    // ------------------------------------------------------------------------------------------ faulty producers

    @Test
    void producerThatThrowsInsideTryWithResourcesDoesNotBlockTheRing() {
        RingBuffer ring = ringWithOneRecord();
        assertThatThrownBy(() -> {
            try (Reservation r = ring.reserve(16)) {
                r.putLong(0, 1);
                // A later producer commits behind the failing one: it must not be blocked.
                assertThat(ring.output(new byte[] {42})).isTrue();
                throw new IOException("producer failed");
            }
        }).isInstanceOf(IOException.class).hasMessage("producer failed");
        assertThat(ring.discardedRecords()).isZero();
        assertUsableAndIntact(ring, BEFORE, new byte[] {42});
        assertThat(ring.discardedRecords()).isEqualTo(1);
    }
}
