package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The fan-out's promise, written as a user writes it: one 1 MiB ring, four subscribers with demand, a burst of
 * 20,000 records larger than each subscriber's buffer of 4,096. Every subscriber gets every record, in order, on
 * the documented defaults and on each of Reactor's schedulers.
 */
class RingFanOutBurstTest {

    private static final int BURST = 20_000;
    private static final int BUFFER = 4096;

    @ParameterizedTest
    @EnumSource(FanOutDelivery.class)
    void fourSubscribersWithDemandGetEveryRecordOfABurst(FanOutDelivery delivery) throws InterruptedException {
        final Scheduler scheduler = delivery.scheduler();
        final RingBuffer ring = RingBuffer.builder().name("burst-" + delivery).capacity(1 << 20).build();
        final RingFanOut<Long> feed = fanOut(ring, scheduler);
        final Client[] clients = new Client[4];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Client();
            feed.connect("client-" + i, BUFFER).subscribe(clients[i]); // unbounded demand, an empty onNext
        }

        Rings.putAll(ring, 0, BURST);
        ring.close();

        for (Client client : clients) {
            client.assertReceivedEverything();
        }
        assertThat(ring.droppedRecords()).as("the ring had room").isZero();
        dispose(scheduler);
    }

    @ParameterizedTest
    @EnumSource(FanOutDelivery.class)
    void aSubscriberOnItsOwnThreadSlowerThanTheBurstGetsEveryRecord(FanOutDelivery delivery)
            throws InterruptedException {
        final Scheduler scheduler = delivery.scheduler();
        final RingBuffer ring = RingBuffer.builder().name("own-thread-" + delivery).capacity(1 << 20).build();
        final RingFanOut<Long> feed = fanOut(ring, scheduler);
        final Scheduler own = Schedulers.newSingle("own-thread");
        final Client slow = new Client();
        final Client fast = new Client();
        feed.connect("slow", BUFFER)
                .publishOn(own) // its own thread, and demand in batches of 256 (publishOn's prefetch)
                .doOnNext(RingFanOutBurstTest::work)
                .subscribe(slow);
        feed.connect("fast", BUFFER).subscribe(fast);

        Rings.putAll(ring, 0, BURST);
        ring.close();

        slow.assertReceivedEverything();
        fast.assertReceivedEverything();
        assertThat(ring.droppedRecords()).as("the ring had room").isZero();
        own.dispose();
        dispose(scheduler);
    }

    private static RingFanOut<Long> fanOut(RingBuffer ring, Scheduler scheduler) {
        if (scheduler == null) { // the documented defaults: nothing configured
            return RingFanOut.builder(RingBufferFlux.decode(ring, Rings::seq)).start();
        }
        final Flux<Long> records = RingBufferFlux.builder(ring).scheduler(scheduler).decode(Rings::seq);
        return RingFanOut.builder(records).deliveryScheduler(scheduler).start();
    }

    private static void dispose(Scheduler scheduler) {
        if (scheduler != null && scheduler != Schedulers.parallel() && scheduler != Schedulers.boundedElastic()
                && scheduler != Schedulers.immediate()) {
            scheduler.dispose();
        }
    }

    /** A slow handler: some arithmetic per record, so that the burst runs far ahead of this subscriber. */
    private static void work(long value) {
        long x = value;
        for (int i = 0; i < 2_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        if (x == 42) {
            throw new AssertionError("unreachable in practice; keeps the loop from being optimised away");
        }
    }

    /** Counts what it receives and checks the order; requests everything. */
    private static final class Client extends BaseSubscriber<Long> {
        private final AtomicLong received = new AtomicLong();
        private final AtomicReference<Object> outOfOrder = new AtomicReference<>();
        private final CountDownLatch terminated = new CountDownLatch(1);
        private volatile Throwable error;

        @Override
        protected void hookOnNext(Long value) {
            final long expected = received.getAndIncrement();
            if (value != expected) {
                outOfOrder.compareAndSet(null, "expected " + expected + ", got " + value);
            }
        }

        @Override
        protected void hookOnError(Throwable failure) {
            error = failure;
        }

        @Override
        protected void hookFinally(reactor.core.publisher.SignalType type) {
            terminated.countDown();
        }

        void assertReceivedEverything() throws InterruptedException {
            assertThat(terminated.await(60, TimeUnit.SECONDS)).as("completed, received " + received).isTrue();
            assertThat(error).isNull();
            assertThat(outOfOrder.get()).as("in order").isNull();
            assertThat(received.get()).isEqualTo(BURST);
        }
    }
}
