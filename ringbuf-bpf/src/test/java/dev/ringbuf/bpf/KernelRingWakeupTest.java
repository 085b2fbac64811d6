package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The kernel's notifications, through {@code awaitData} (level-triggered epoll) and a wakeup listener. */
class KernelRingWakeupTest extends KernelRingFixture {

    KernelRingWakeupTest() {
        super(1 << 16, "rb_wakeup");
    }

    @Test
    void awaitDataReturnsWhenAProgramSubmitsToACaughtUpConsumer() throws Exception {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        final CountDownLatch waiting = new CountDownLatch(1);
        final CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return ring.awaitData(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        BpfPrograms.testRun(program, TestPrograms.packet(64), 1);

        assertThat(awaited.get(10, TimeUnit.SECONDS)).as("woken well before its 30 s timeout").isTrue();
        assertThat(ring.consume(record -> assertThat(record.getLong(0)).isEqualTo(1))).isEqualTo(1);
    }

    @Test
    void awaitDataTimesOutOnAnEmptyRingAndReturnsAtOnceWhenDataWaits() throws Exception {
        assertThat(ring.awaitData(Duration.ofMillis(20))).isFalse();
        assertThat(ring.awaitData(Duration.ZERO)).isFalse();
        program = TestPrograms.sequenceOutput(ring.fd(), counters, TestPrograms.NO_WAKEUP);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 1);
        assertThat(ring.awaitData(Duration.ZERO)).as("no wakeup was sent, the record is there").isTrue();
    }

    @Test
    void closeEndsAWait() throws Exception {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return ring.awaitData(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        ring.close();
        assertThat(awaited.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void anInterruptEndsAWait() throws Exception {
        final CompletableFuture<Thread> waiter = new CompletableFuture<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            waiter.complete(Thread.currentThread());
            try {
                ring.awaitData(Duration.ofSeconds(30));
                ended.complete(null);
            } catch (InterruptedException e) {
                ended.complete(e);
            }
        });
        waiter.get(10, TimeUnit.SECONDS).interrupt();
        assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void theListenerHearsDefaultAndForcedWakeups() throws Exception {
        final AtomicInteger wakeups = new AtomicInteger();
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch forced = new CountDownLatch(3);
        ring.setWakeupListener(() -> {
            wakeups.incrementAndGet();
            first.countDown();
            forced.countDown();
        });
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
        BpfPrograms.testRun(program, TestPrograms.packet(64), 1); // consumer caught up: the kernel notifies
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

        Bpf.close(program);
        program = TestPrograms.sequenceOutput(ring.fd(), counters, TestPrograms.FORCE_WAKEUP);
        for (int i = 0; i < 4 && forced.getCount() > 0; i++) {
            BpfPrograms.testRun(program, TestPrograms.packet(64), 1); // not caught up: only a forced wakeup notifies
            forced.await(2, TimeUnit.SECONDS);
        }
        assertThat(forced.await(10, TimeUnit.SECONDS)).isTrue();
        ring.setWakeupListener(null);
        assertThat(ring.consume(record -> { })).isEqualTo((int) TestPrograms.counter(counters, 0));
    }
}
