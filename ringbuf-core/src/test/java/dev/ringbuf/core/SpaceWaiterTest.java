package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The one way to wait for space, for callbacks and threads alike ({@link SpaceWaiter}, {@link SpaceWaiters}): one
 * queue in arrival order, woken exactly (as many waiters as the freed space can serve), ahead of producers that do
 * not wait, and a waiter that gives up passes its turn on.
 */
class SpaceWaiterTest extends ContractSuite {

    /** 40 bytes in the ring. */
    private static final int SIZE = 32;

    /** Fills a 256-byte ring with 40-byte records (6 of them, 240 bytes; 15 free): the next one does not fit. */
    private RingBuffer fullRing() {
        RingBuffer ring = ring(RingBuffer.builder().capacity(256).maxRecordSize(64));
        for (int i = 0; i < 6; i++) {
            assertThat(ring.output(new byte[SIZE])).isTrue();
        }
        assertThat(ring.output(new byte[SIZE])).as("the ring is full").isFalse();
        return ring;
    }

    private static void consumeOne(RingBuffer ring) {
        assertThat(ring.consume(record -> { }, 1)).isEqualTo(1);
    }

    @Test
    void aWaiterIsCalledOnceWhenTheFreedSpaceCanServeItThenClaimsAheadOfOthers() {
        RingBuffer ring = fullRing();
        AtomicInteger calls = new AtomicInteger();
        SpaceWaiter waiter = ring.spaceWaiter(calls::incrementAndGet);
        assertThat(waiter.isWaiting()).isFalse();
        assertThat(waiter.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
        assertThat(waiter.isWaiting()).isTrue();
        assertThat(waiter.tryClaim(SIZE)).as("still its turn to wait").isEqualTo(RingBuffer.CLAIM_FULL);
        assertThat(calls).hasValue(0);
        consumeOne(ring); // 55 bytes free: one 40-byte record fits
        assertThat(calls).hasValue(1);
        assertThat(ring.tryClaim(SIZE)).as("a producer that does not wait goes after the waiter")
                .isEqualTo(RingBuffer.CLAIM_FULL);
        int offset = waiter.tryClaim(SIZE);
        assertThat(offset).isNotNegative();
        assertThat(waiter.isWaiting()).isFalse();
        ring.commit(offset);
        consumeOne(ring);
        assertThat(calls).as("once per wait").hasValue(1);
        assertThat(ring.droppedRecords()).as("nothing counted but the first full output").isEqualTo(1);
    }

    @Test
    void onlyAsManyWaitersAsTheFreedSpaceCanServeAreWokenInArrivalOrder() {
        RingBuffer ring = fullRing();
        List<Integer> woken = new ArrayList<>();
        List<SpaceWaiter> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final int id = i;
            SpaceWaiter waiter = ring.spaceWaiter(() -> woken.add(id));
            assertThat(waiter.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
            waiters.add(waiter);
        }
        consumeOne(ring); // 55 free: one waiter
        assertThat(woken).containsExactly(0);
        consumeOne(ring); // 95 free: two (the first one still counts until it claims)
        assertThat(woken).containsExactly(0, 1);
        consumeOne(ring); // 135 free: three
        assertThat(woken).containsExactly(0, 1, 2);
        for (int i = 0; i < 3; i++) {
            int offset = waiters.get(i).tryClaim(SIZE);
            assertThat(offset).as("woken waiter %d claims", i).isNotNegative();
            ring.commit(offset);
        }
        assertThat(woken).as("their claims filled the ring again: nobody else fits").containsExactly(0, 1, 2);
        consumeOne(ring);
        assertThat(woken).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aWaiterThatGivesUpPassesItsTurnOn() {
        RingBuffer ring = fullRing();
        List<Integer> woken = new ArrayList<>();
        SpaceWaiter first = ring.spaceWaiter(() -> woken.add(0));
        SpaceWaiter second = ring.spaceWaiter(() -> woken.add(1));
        assertThat(first.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
        assertThat(second.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
        consumeOne(ring);
        assertThat(woken).containsExactly(0);
        first.cancel();
        assertThat(first.isWaiting()).isFalse();
        assertThat(woken).containsExactly(0, 1);
        assertThat(second.tryClaim(SIZE)).isNotNegative();
    }

    @Test
    void theEndOfTheStreamWakesEveryWaiterAndItsClaimSaysClosed() {
        RingBuffer ring = fullRing();
        AtomicInteger calls = new AtomicInteger();
        SpaceWaiter first = ring.spaceWaiter(calls::incrementAndGet);
        SpaceWaiter second = ring.spaceWaiter(calls::incrementAndGet);
        assertThat(first.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
        assertThat(second.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
        ring.endStream();
        assertThat(calls).hasValue(2);
        assertThat(first.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_CLOSED);
        assertThat(second.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_CLOSED);
        assertThat(first.isWaiting()).isFalse();
        assertThat(ring.droppedRecords(DropReason.CLOSED)).as("the caller counts what it gives up").isZero();
    }

    @Test
    void threadsAndCallbacksStandInOneQueue() throws Exception {
        RingBuffer ring = fullRing();
        AtomicReference<Reservation> reserved = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                reserved.set(ring.reserve(SIZE, Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "waiting-thread");
        thread.start();
        TestSupport.awaitCondition("the thread waits for space",
                () -> java.util.concurrent.locks.LockSupport.getBlocker(thread) instanceof WaitingProducers);
        AtomicInteger calls = new AtomicInteger();
        SpaceWaiter callback = ring.spaceWaiter(calls::incrementAndGet);
        assertThat(callback.tryClaim(SIZE)).as("behind the thread").isEqualTo(RingBuffer.CLAIM_FULL);
        consumeOne(ring); // room for one: the thread's turn
        thread.join(TestSupport.WAIT_NANOS / 1_000_000);
        assertThat(reserved.get()).isNotNull();
        assertThat(calls).as("the callback waits behind it").hasValue(0);
        reserved.get().commit();
        reserved.get().close();
        consumeOne(ring);
        assertThat(calls).hasValue(1);
        assertThat(callback.tryClaim(SIZE)).isNotNegative();
    }

    @Test
    void aCallbackThatThrowsDoesNotReachTheConsumer() {
        RingBuffer ring = fullRing();
        SpaceWaiter waiter = ring.spaceWaiter(() -> {
            throw new IllegalStateException("boom");
        });
        assertThat(waiter.tryClaim(SIZE)).isEqualTo(RingBuffer.CLAIM_FULL);
        consumeOne(ring);
        assertThat(waiter.tryClaim(SIZE)).as("woken all the same").isNotNegative();
    }

    @Test
    void badInputIsRefusedBeforeJoining() {
        RingBuffer ring = fullRing();
        SpaceWaiter waiter = ring.spaceWaiter(() -> { });
        assertThatThrownBy(() -> waiter.tryClaim(65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record size 65");
        assertThat(waiter.isWaiting()).isFalse();
        assertThatThrownBy(() -> ring.spaceWaiter(null)).isInstanceOf(NullPointerException.class);
    }
}
