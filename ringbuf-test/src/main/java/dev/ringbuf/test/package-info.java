/**
 * Test support for code that writes into or reads from rings: {@link dev.ringbuf.test.RingBufferExtension} gives a
 * JUnit Jupiter test its rings ({@link dev.ringbuf.test.TestRing}), closes them after the test and fails it when a
 * ring dropped records it did not allow; {@link dev.ringbuf.test.RingDrops} asserts what a ring dropped, by reason.
 *
 * <pre>{@code
 * @ExtendWith(RingBufferExtension.class)
 * class ClicksTest {
 *     @Test
 *     void everyClickIsWritten(@TestRing(capacity = 1 << 16) RingBuffer ring) {
 *         new Clicks(ring).click(42);
 *         assertThat(ring.consume(record -> { })).isEqualTo(1);
 *     }   // the ring is closed; had it dropped a record, the test would fail naming the reason
 * }
 * }</pre>
 */
@NullMarked
package dev.ringbuf.test;

import org.jspecify.annotations.NullMarked;
