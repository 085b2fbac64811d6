package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.Record;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kernel ring filled by real BPF programs run with {@code BPF_PROG_TEST_RUN}, consumed through the core's API. */
class KernelRingBufferTest extends KernelRingFixture {

    KernelRingBufferTest() {
        super(4096, "rb_test");
    }

    @Test
    void recordsArriveInOrderWithTheirPayloadsAndPositions() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        for (int i = 0; i < 10; i++) {
            BpfPrograms.testRun(program, TestPrograms.packet(64 + i), 1);
        }
        assertThat(ring.availableData()).isEqualTo(10 * 24);
        assertThat(ring.producerPosition()).isEqualTo(10 * 24);
        assertThat(ring.consumerPosition()).isZero();

        final List<long[]> seen = new ArrayList<>();
        final int n = ring.consume(record -> seen.add(new long[] {record.position(), record.length(),
            record.getLong(0), record.getInt(8), record.getInt(12)}));

        assertThat(n).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(seen.get(i)[0]).as("position").isEqualTo(i * 24L);
            assertThat(seen.get(i)[1]).as("length").isEqualTo(TestPrograms.SEQUENCE_PAYLOAD);
            assertThat(seen.get(i)[2]).as("sequence").isEqualTo(i + 1);
            assertThat(seen.get(i)[3]).as("skb->len").isEqualTo(64 + i - 14); // the Ethernet header is pulled
            assertThat(seen.get(i)[4]).isZero();
        }
        assertThat(ring.consumerPosition()).isEqualTo(10 * 24);
        assertThat(ring.availableData()).isZero();
        assertThat(ring.recordsConsumed()).isEqualTo(10);
    }

    @Test
    void aRepeatedTestRunOutputsEveryRecordOnce() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 100);

        final List<Long> sequences = new ArrayList<>();
        assertThat(ring.consume(record -> sequences.add(record.getLong(0)))).isEqualTo(100);
        assertThat(sequences).hasSize(100).isSorted().startsWith(1L).endsWith(100L);
    }

    @Test
    void discardedRecordsAreSkippedButTheirSpaceIsCrossed() {
        program = TestPrograms.reserveSubmitOrDiscard(ring.fd());
        for (int length = 50; length < 60; length++) { // skb->len 36..45: even submitted, odd discarded
            BpfPrograms.testRun(program, TestPrograms.packet(length), 1);
        }
        assertThat(ring.producerPosition()).as("13 bytes + 8 rounded up to 24, discarded ones too").isEqualTo(240);

        final List<Integer> lengths = new ArrayList<>();
        final int n = ring.consume(record -> {
            assertThat(record.length()).isEqualTo(TestPrograms.RESERVED_PAYLOAD);
            assertThat(record.getInt(4)).isEqualTo(TestPrograms.MAGIC);
            assertThat(record.getInt(8)).isEqualTo(0x12345678);
            assertThat(record.getByte(12)).isEqualTo((byte) 0x7f);
            lengths.add(record.getInt(0));
        });

        assertThat(n).isEqualTo(5);
        assertThat(lengths).containsExactly(36, 38, 40, 42, 44);
        assertThat(ring.recordsDiscarded()).isEqualTo(5);
        assertThat(ring.consumerPosition()).isEqualTo(240);
    }

    @Test
    void aFullRingDropsTheNewestRecordsAndTheProgramSeesTheFailure() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 200);

        // 4096 bytes hold 170 records of 24 (a reservation may not bring the producer 4096 bytes ahead).
        final List<Long> sequences = new ArrayList<>();
        assertThat(ring.consume(record -> sequences.add(record.getLong(0)))).isEqualTo(170);
        assertThat(sequences.get(169)).isEqualTo(170);
        assertThat(TestPrograms.counter(counters, 1)).as("drops the program counted").isEqualTo(30);

        BpfPrograms.testRun(program, TestPrograms.packet(64), 1); // the space is the kernel's again
        assertThat(ring.consume(record -> assertThat(record.getLong(0)).isEqualTo(201))).isEqualTo(1);
    }

    @Test
    void consumeWithALimitAndAControlledHandlerStopsWhereTold() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 6);

        assertThat(ring.consume(record -> { }, 2)).isEqualTo(2);
        assertThat(ring.consumerPosition()).isEqualTo(48);

        final List<Long> seen = new ArrayList<>();
        final int n = ring.controlledConsume(record -> {
            seen.add(record.getLong(0));
            return record.getLong(0) == 4 ? ControlledRecordHandler.Action.ABORT
                    : ControlledRecordHandler.Action.CONTINUE;
        }, 10);
        assertThat(n).isEqualTo(1);
        assertThat(seen).containsExactly(3L, 4L);
        assertThat(ring.consumerPosition()).as("the aborted record stays").isEqualTo(72);

        seen.clear();
        assertThat(ring.controlledConsume(record -> {
            seen.add(record.getLong(0));
            return ControlledRecordHandler.Action.BREAK;
        }, 10)).isEqualTo(1);
        assertThat(seen).containsExactly(4L);
        assertThat(ring.consume(record -> seen.add(record.getLong(0)))).isEqualTo(2);
        assertThat(seen).containsExactly(4L, 5L, 6L);
    }

    @Test
    void readHoldsTheSpaceUntilReleasedAndRewindDeliversAgain() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 3);

        final List<Long> seen = new ArrayList<>();
        assertThat(ring.read(record -> seen.add(record.getLong(0)), 10)).isEqualTo(3);
        assertThat(ring.consumerPosition()).isZero();
        assertThat(ring.readPosition()).isEqualTo(72);
        assertThat(ring.isRecordReady()).isFalse();

        ring.rewindRead();
        assertThat(ring.read(record -> seen.add(record.getLong(0)), 1)).isEqualTo(1);
        assertThat(seen).containsExactly(1L, 2L, 3L, 1L);

        ring.releaseTo(24);
        assertThat(ring.consumerPosition()).isEqualTo(24);
        assertThatThrownBy(() -> ring.releaseTo(48)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read position 24");
        assertThat(ring.consume(record -> seen.add(record.getLong(0)))).isEqualTo(2);
        assertThat(seen).endsWith(2L, 3L);
    }

    @Test
    void aViewIsValidOnlyInsideTheHandlerAndACopyStays() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 1);

        final Record[] kept = new Record[2];
        ring.consume(record -> {
            kept[0] = record;
            kept[1] = record.copy();
        });

        assertThatThrownBy(() -> kept[0].getLong(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after release");
        assertThat(kept[1].getLong(0)).isEqualTo(1);
        assertThat(kept[1].length()).isEqualTo(TestPrograms.SEQUENCE_PAYLOAD);
    }

    @Test
    void aSecondConsumerAndAClosedRingAreRefused() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 1);

        assertThatThrownBy(() -> ring.consume(record -> ring.consume(inner -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one consumer at a time");
        assertThat(ring.consumerPosition()).as("the record whose handler threw counts as consumed").isEqualTo(24);

        ring.close();
        assertThatThrownBy(() -> ring.consume(record -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        ring.close(); // idempotent
    }
}
