package dev.ringbuf.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension as a user's test meets it, run through JUnit's engine test kit. */
class RingBufferExtensionTest {

    static final List<RingBuffer> MADE = new ArrayList<>();

    /** The example classes below fail on purpose: they run only inside {@link #run}, never on their own. */
    private static volatile boolean inTestKit;

    static boolean inTestKit() {
        return inTestKit;
    }

    private static Events run(Class<?> tests) {
        MADE.clear();
        inTestKit = true;
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(tests)).execute().testEvents();
        } finally {
            inTestKit = false;
        }
    }

    @Test
    void aTestGetsItsRingsAsItsParametersSayAndTheyAreClosedAfterIt() {
        run(Examples.class).assertThatEvents().haveExactly(1, event(test("twoRings"), finishedSuccessfully()));
        assertThat(MADE).hasSize(2);
        assertThat(MADE.get(0).name()).isEqualTo("events");
        assertThat(MADE.get(0).capacity()).isEqualTo(1024);
        assertThat(MADE.get(0).maxRecordSize()).isEqualTo(100);
        assertThat(MADE.get(1).capacity()).isEqualTo(TestRing.DEFAULT_CAPACITY);
        assertThat(MADE.get(1).name()).isIn("audit", "ring1"); // the parameter's name needs -parameters
        assertThat(MADE).allMatch(RingBuffer::isClosed);
    }

    @Test
    void aTestWhoseRingDroppedFailsNamingTheRingAndTheReason() {
        run(Dropping.class).assertThatEvents().haveExactly(1, event(test("dropsOne"),
                finishedWithFailure(instanceOf(AssertionError.class),
                        message(text -> text.contains("ring 'tiny' dropped records: full=1, closed=0, oversize=0")
                                && text.contains("@TestRing(allowDrops = true)")))));
    }

    @Test
    void aTestThatAllowsDropsAssertsThemItself() {
        run(Dropping.class).assertThatEvents().haveExactly(1, event(test("allowsDrops"), finishedSuccessfully()))
                .haveExactly(1, event(test("assertsTheWrongCount"), finishedWithFailure(
                        message(text -> text.contains("dropped 1 records for full, expected 2")))));
    }

    @Test
    void aBadCapacityIsAParameterResolutionErrorNamingTheParameter() {
        run(BadRing.class).assertThatEvents().haveExactly(1, event(test("badCapacity"), finishedWithFailure(
                instanceOf(ParameterResolutionException.class), message(text -> text.contains("@TestRing")
                        && text.contains("100")))));
    }

    @Test
    void snapshotsCountTheDropsSinceThem() {
        final RingBuffer ring = RingBuffer.builder().name("r").capacity(64).maxRecordSize(40).build();
        ring.output(new byte[40]);
        ring.output(new byte[40]);
        final RingDrops before = RingDrops.of(ring);
        ring.output(new byte[40]);
        assertThat(before.since()).containsEntry(DropReason.FULL, 1L);
        before.assertDroppedSince(DropReason.FULL, 1);
        RingDrops.assertDropped(ring, DropReason.FULL, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RingDrops.assertNone(ring))
                .hasMessage("ring 'r' dropped records: full=2, closed=0, oversize=0; expected none");
    }

    @ExtendWith(RingBufferExtension.class)
    @EnabledIf("dev.ringbuf.test.RingBufferExtensionTest#inTestKit")
    static class Examples {

        @Test
        void twoRings(@TestRing(capacity = 1024, name = "events", maxRecordSize = 100) RingBuffer events,
                RingBuffer audit) {
            MADE.add(events);
            MADE.add(audit);
            assertThat(events.output(new byte[100])).isTrue();
        }
    }

    @ExtendWith(RingBufferExtension.class)
    @EnabledIf("dev.ringbuf.test.RingBufferExtensionTest#inTestKit")
    static class Dropping {

        @Test
        void dropsOne(@TestRing(capacity = 64, name = "tiny", maxRecordSize = 40) RingBuffer ring) {
            ring.output(new byte[40]);
            ring.output(new byte[40]); // full: dropped
        }

        @Test
        void allowsDrops(@TestRing(capacity = 64, maxRecordSize = 40, allowDrops = true) RingBuffer ring) {
            ring.output(new byte[40]);
            ring.output(new byte[40]);
            RingDrops.assertDropped(ring, DropReason.FULL, 1);
        }

        @Test
        void assertsTheWrongCount(@TestRing(capacity = 64, maxRecordSize = 40, allowDrops = true) RingBuffer ring) {
            ring.output(new byte[40]);
            ring.output(new byte[40]);
            RingDrops.assertDropped(ring, DropReason.FULL, 2);
        }
    }

    @ExtendWith(RingBufferExtension.class)
    @EnabledIf("dev.ringbuf.test.RingBufferExtensionTest#inTestKit")
    static class BadRing {

        @Test
        void badCapacity(@TestRing(capacity = 100) RingBuffer ring) {
        }
    }
}
