package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A closed ring refuses new reservations (counted {@code closed}) and still delivers what was committed. */
class CloseTest extends ContractSuite {

    @Test
    void reservationsFailAfterCloseAndAreCountedClosed() {
        RingBuffer ring = ring(4096);
        assertThat(ring.output(new byte[] {1})).isTrue();
        long producer = ring.producerPosition();
        ring.close();
        assertThat(ring.isClosed()).isTrue();
        assertThat(ring.reserve(8)).isNull();
        assertThat(ring.claim(8)).isEqualTo(RingBuffer.CLAIM_FAILED);
        assertThat(ring.output(new byte[] {2})).isFalse();
        assertThat(ring.output(ByteBuffer.wrap(new byte[] {3}))).isFalse();
        assertThat(ring.droppedRecords(DropReason.CLOSED)).isEqualTo(4);
        assertThat(ring.droppedRecords(DropReason.FULL)).isZero();
        assertThat(ring.droppedRecords()).isEqualTo(4);
        assertThat(ring.producerPosition()).as("the closed bit is not part of the position").isEqualTo(producer);
        assertThat(ring.availableData()).isEqualTo(16);
        assertThat(ring.toString()).contains("closed");

        assertThat(ring.isClosedAndDrained()).isFalse();
        List<byte[]> seen = TestSupport.drain(ring);
        assertThat(seen).containsExactly(new byte[] {1});
        assertThat(ring.isClosedAndDrained()).isTrue();
        assertThat(ring.consume(record -> { })).isZero();
    }

    @Test
    void reservationsMadeBeforeCloseCanStillBeCommittedAndAreDelivered() throws InterruptedException {
        RingBuffer ring = ring(4096);
        Reservation open = ring.reserve(8).putLong(0, 11);
        int offset = ring.claim(8);
        Reservation dropped = ring.reserve(8);
        ring.close();
        assertThat(ring.isClosedAndDrained()).as("reserved records are still to come").isFalse();
        assertThat(ring.awaitData(Duration.ofMillis(1))).isFalse();
        open.commit();
        ring.buffer().putLong(offset, 12);
        ring.commit(offset);
        dropped.close();
        assertThat(ring.awaitData(Duration.ofMillis(1))).isTrue();
        List<Long> seen = new ArrayList<>();
        assertThat(ring.consume(record -> seen.add(record.getLong(0)))).isEqualTo(2);
        assertThat(seen).containsExactly(11L, 12L);
        assertThat(ring.isClosedAndDrained()).isTrue();
        assertThat(ring.awaitData(Duration.ofDays(1))).as("closed and drained: returns at once").isFalse();
        assertThat(ring.discardedRecords()).isEqualTo(1);
    }

    @Test
    void closeWakesAParkedConsumer() throws Exception {
        // (That close also calls an in-process ring's listener exactly once is InProcessOnlyTest's.)
        RingBuffer ring = ring(4096);
        Thread[] consumer = new Thread[1];
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        consumer[0] = new Thread(() -> {
            try {
                awaited.complete(ring.awaitData(Duration.ofHours(1)));
            } catch (Throwable t) {
                awaited.completeExceptionally(t);
            }
        }, "parked-consumer");
        consumer[0].start();
        awaitWaitingIn(ring, consumer[0]);
        ring.close();
        assertThat(awaited.get(30, TimeUnit.SECONDS)).as("closed and drained").isFalse();
        ring.close(); // idempotent
        assertThat(ring.wakeups()).as("close is not a producer wakeup").isZero();
        assertThat(ring.isClosedAndDrained()).isTrue();
        consumer[0].join(30_000);
    }

    @Test
    void tryWithResourcesClosesTheRing() {
        RingBuffer outer;
        try (RingBuffer ring = ring(64)) {
            outer = ring;
            assertThat(ring.isClosed()).isFalse();
        }
        assertThat(outer.isClosed()).isTrue();
        assertThat(outer.isClosedAndDrained()).isTrue();
    }
}
