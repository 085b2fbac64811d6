package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.ControlledRecordHandler.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Controlled consumption ends a batch without throwing, and tells a consumed record from one left for later. */
class ControlledConsumeTest extends ContractSuite {

    private static void outputLongs(RingBuffer ring, long... values) {
        for (long value : values) {
            byte[] bytes = new byte[8];
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            assertThat(ring.output(bytes)).isTrue();
        }
    }

    @Test
    void breakConsumesTheRecordAndEndsTheBatch() {
        RingBuffer ring = ring(4096);
        outputLongs(ring, 1, 2, 3);
        List<Long> seen = new ArrayList<>();
        int n = ring.controlledConsume(record -> {
            seen.add(record.getLong(0));
            return record.getLong(0) == 2 ? Action.BREAK : Action.CONTINUE;
        }, 10);
        assertThat(n).isEqualTo(2);
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(ring.consumerPosition()).as("both consumed records freed").isEqualTo(32);
        assertThat(ring.consumedRecords()).isEqualTo(2);
        assertThat(TestSupport.drain(ring)).hasSize(1);
    }

    @Test
    void abortLeavesTheRecordForTheNextCall() {
        RingBuffer ring = ring(4096);
        outputLongs(ring, 1, 2, 3);
        List<Long> seen = new ArrayList<>();
        int n = ring.controlledConsume(record -> {
            seen.add(record.getLong(0));
            return record.getLong(0) == 2 ? Action.ABORT : Action.CONTINUE;
        }, 10);
        assertThat(n).as("the aborted record is not counted").isEqualTo(1);
        assertThat(ring.consumerPosition()).isEqualTo(16);
        assertThat(ring.readPosition()).isEqualTo(16);
        assertThat(ring.consumedRecords()).isOne();
        List<Long> again = new ArrayList<>();
        assertThat(ring.controlledConsume(record -> {
            again.add(record.getLong(0));
            return Action.CONTINUE;
        }, 10)).isEqualTo(2);
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(again).as("delivered again, in order").containsExactly(2L, 3L);
    }

    @Test
    void controlledReadLeavesSpaceForReleaseTo() {
        RingBuffer ring = ring(4096);
        outputLongs(ring, 1, 2, 3);
        assertThat(ring.controlledRead(record -> Action.BREAK, 10)).isOne();
        assertThat(ring.readPosition()).isEqualTo(16);
        assertThat(ring.consumerPosition()).as("read, not freed").isZero();
        ring.releaseTo(16);
        assertThat(ring.consumerPosition()).isEqualTo(16);
    }

    @Test
    void aControlledHandlerThatThrowsHasConsumedItsRecordOnly() {
        RingBuffer ring = ring(4096);
        outputLongs(ring, 1, 2);
        assertThatThrownBy(() -> ring.controlledConsume(record -> {
            throw new IllegalStateException("handler failed");
        }, 10)).hasMessage("handler failed");
        assertThat(ring.consumerPosition()).isEqualTo(16);
        assertThat(TestSupport.drain(ring)).hasSize(1);
    }

    @Test
    void badArgumentsAreRejected() {
        RingBuffer ring = ring(4096);
        assertThatThrownBy(() -> ring.controlledConsume(null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> ring.controlledRead(r -> Action.CONTINUE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit 0 must be positive");
    }

    @Test
    void blockedNanosGrowsOnlyWhileABusyRecordStopsTheConsumer() {
        RingBuffer ring = ring(4096);
        assertThat(ring.blockedNanos()).as("empty ring: not blocked").isZero();
        outputLongs(ring, 1);
        Reservation stuck = ring.reserve(8);
        outputLongs(ring, 3);
        assertThat(TestSupport.drain(ring)).hasSize(1);
        long first = ring.blockedNanos();
        long start = System.nanoTime();
        while (System.nanoTime() - start < 2_000_000) {
            Thread.onSpinWait(); // let a couple of milliseconds pass (the clock, not synchronisation)
        }
        assertThat(ring.blockedNanos()).as("still stopped at the stuck record").isGreaterThan(first)
                .isGreaterThanOrEqualTo(2_000_000);
        stuck.putLong(0, 2).commit();
        assertThat(ring.blockedNanos()).as("the record is committed: no longer blocked").isZero();
        assertThat(TestSupport.drain(ring)).hasSize(2);
        assertThat(ring.blockedNanos()).isZero();
    }
}
