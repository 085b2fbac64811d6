package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel's wakeup rule, single-threaded so that every decision is exact: DEFAULT wakes only when the consumer's
 * read position equals the committed record's position, NONE never, FORCE always. Every decision is checked through
 * {@link RingBuffer#wakeups()}, the same in both variants; that an in-process ring calls its listener exactly once per
 * wakeup, on the producer's thread, is {@code InProcessOnlyTest}'s (a ring file's doorbell watcher calls it too).
 */
class WakeupRuleTest extends ContractSuite {

    private static void assertWakeups(RingBuffer ring, int expected) {
        assertThat(ring.wakeups()).isEqualTo(expected);
    }

    @Test
    void defaultWakesOnlyWhenTheConsumerHadCaughtUp() {
        RingBuffer ring = ring(4096);
        ring.output(new byte[32]);                         // at 0, read position 0: caught up
        assertWakeups(ring, 1);
        ring.output(new byte[32]);                         // at 40, read position 0: the consumer will get there
        ring.output(new byte[32]);
        assertWakeups(ring, 1);
        assertThat(ring.consume(record -> { })).isEqualTo(3);
        ring.reserve(32).commit();                         // at 120 == read position
        assertWakeups(ring, 2);
        ring.reserve(32).discard();                        // discards follow the same rule: not caught up
        assertWakeups(ring, 2);
    }

    @Test
    void defaultComparesWithTheReadPositionNotTheConsumerPosition() {
        RingBuffer ring = ring(4096);
        ring.output(new byte[8], 0, 8, Wakeup.NONE);
        ring.read(record -> { }, 1);                      // read position 16, consumer position 0
        assertThat(ring.consumerPosition()).isZero();
        ring.output(new byte[8]);                          // at 16: the consumer has read everything before it
        assertWakeups(ring, 1);
    }

    @Test
    void aConsumerStoppedAtABusyRecordIsWokenByItsCommit() {
        RingBuffer ring = ring(4096);
        Reservation first = ring.reserve(8);
        ring.output(new byte[8]);                          // behind a busy record: no wakeup
        assertWakeups(ring, 0);
        assertThat(ring.consume(record -> { })).isZero(); // stops at the busy record, publishes read position 0
        first.commit();                                    // the record the consumer waits at
        assertWakeups(ring, 1);
        assertThat(ring.consume(record -> { })).isEqualTo(2);
    }

    @Test
    void noneNeverWakesAndForceAlwaysWakes() {
        RingBuffer ring = ring(4096);
        ring.output(new byte[8], 0, 8, Wakeup.NONE);
        int offset = ring.claim(8);
        ring.commit(offset, Wakeup.NONE);
        ring.reserve(8).discard(Wakeup.NONE);
        assertWakeups(ring, 0);
        ring.output(new byte[8], 0, 8, Wakeup.FORCE);
        ring.reserve(8).commit(Wakeup.FORCE);
        offset = ring.claim(8);
        ring.discard(offset, Wakeup.FORCE);
        assertWakeups(ring, 3);
    }

    @Test
    void setWakeupListenerReturnsTheListenerItReplaces() {
        RingBuffer ring = ring(4096);
        WakeupListener first = () -> { };
        WakeupListener second = () -> { };
        assertThat(ring.setWakeupListener(first)).isNull();
        assertThat(ring.setWakeupListener(second)).isSameAs(first);
        ring.output(new byte[1], 0, 1, Wakeup.FORCE);
        assertThat(ring.setWakeupListener(null)).isSameAs(second);
        assertThat(ring.setWakeupListener(null)).isNull();
        ring.output(new byte[1], 0, 1, Wakeup.FORCE);
        assertThat(ring.wakeups()).as("counted with and without a listener").isEqualTo(2);
    }

    @Test
    void listenerThatThrowsDoesNotUndoTheCommit() {
        RingBuffer ring = ring(4096);
        ring.setWakeupListener(() -> {
            throw new IllegalStateException("listener failed");
        });
        assertThatThrownBy(() -> ring.output(new byte[] {1}, 0, 1, Wakeup.FORCE)).hasMessage("listener failed");
        ring.setWakeupListener(null);
        assertThat(TestSupport.drain(ring)).containsExactly(new byte[] {1});
    }

    @Test
    void awaitDataReturnsAtOnceWhenARecordIsReady() throws InterruptedException {
        RingBuffer ring = ring(4096);
        ring.output(new byte[1], 0, 1, Wakeup.NONE);
        assertThat(ring.awaitData(Duration.ofDays(1))).isTrue();
        assertThat(ring.awaitData(Duration.ZERO)).isTrue();
        ring.consume(record -> { });
        assertThat(ring.awaitData(Duration.ZERO)).isFalse();
        assertThat(ring.awaitData(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void awaitDataWithANegativeTimeoutDoesNotWait() throws Exception {
        RingBuffer ring = ring(4096);
        // Each of these must return false at once; one that parked would never return.
        CompletableFuture<Boolean> results = CompletableFuture.supplyAsync(() -> {
            try {
                return !ring.awaitData(Duration.ofNanos(-1))
                        && !ring.awaitData(Duration.ofSeconds(-5))
                        && !ring.awaitData(Duration.ofNanos(Long.MIN_VALUE))
                        && !ring.awaitData(Duration.ofDays(-Long.MAX_VALUE / 86_400))
                        && !ring.awaitData(Duration.ofSeconds(Long.MIN_VALUE));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(results.get(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            ring.close(); // releases a consumer that did park, so that the thread does not leak
        }
    }

    @Test
    void awaitDataThrowsWhenInterrupted() throws Exception {
        RingBuffer ring = ring(4096);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                ring.awaitData(Duration.ofHours(1));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "interrupted-consumer");
        consumer.start();
        awaitWaitingIn(ring, consumer);
        consumer.interrupt();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        consumer.join(30_000);
        // The consumer guard was released: another consumer can run.
        ring.output(new byte[] {1});
        assertThat(ring.consume(record -> { })).isEqualTo(1);
    }

    @Test
    void parkedConsumerIsWokenByForceAfterNoneRecords() throws Exception {
        RingBuffer ring = ring(4096);
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                awaited.complete(ring.awaitData(Duration.ofHours(1)));
            } catch (Throwable t) {
                awaited.completeExceptionally(t);
            }
        }, "force-consumer");
        consumer.start();
        awaitWaitingIn(ring, consumer);
        ring.output(new byte[] {1}, 0, 1, Wakeup.NONE);
        ring.output(new byte[] {2}, 0, 1, Wakeup.DEFAULT); // behind an unread record: no wakeup either
        assertThat(ring.wakeups()).isZero();
        ring.output(new byte[] {3}, 0, 1, Wakeup.FORCE);
        assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
        consumer.join(30_000);
        assertThat(TestSupport.drain(ring)).containsExactly(new byte[] {1}, new byte[] {2}, new byte[] {3});
        assertThat(ring.wakeups()).isEqualTo(1);
    }

    @Test
    void parkedConsumerIsWokenByTheDefaultCommitOfTheRecordItWaitsAt() throws Exception {
        RingBuffer ring = ring(4096);
        Reservation head = ring.reserve(4);               // the consumer will wait at this one
        ring.output(new byte[] {2}, 0, 1, Wakeup.NONE);
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                awaited.complete(ring.awaitData(Duration.ofHours(1)));
            } catch (Throwable t) {
                awaited.completeExceptionally(t);
            }
        }, "default-consumer");
        consumer.start();
        awaitWaitingIn(ring, consumer);
        head.putInt(0, 1).commit();                        // DEFAULT: the read position is this record's
        assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
        consumer.join(30_000);
        assertThat(TestSupport.drain(ring)).containsExactly(new byte[] {1, 0, 0, 0}, new byte[] {2});
        assertThat(ring.wakeups()).isEqualTo(1);
    }

    @Test
    void noneRecordsArePickedUpWhenTheWaitTimesOut() throws Exception {
        RingBuffer ring = ring(4096);
        CompletableFuture<Boolean> awaited = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                awaited.complete(ring.awaitData(Duration.ofMillis(200)));
            } catch (Throwable t) {
                awaited.completeExceptionally(t);
            }
        }, "timeout-consumer");
        consumer.start();
        awaitWaitingIn(ring, consumer);
        ring.output(new byte[] {1}, 0, 1, Wakeup.NONE);
        // Woken by the timeout (or a spurious unpark), the consumer looks again and finds the record.
        assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
        consumer.join(30_000);
        assertThat(ring.wakeups()).isZero();
        assertThat(TestSupport.drain(ring)).containsExactly(new byte[] {1});
    }
}
