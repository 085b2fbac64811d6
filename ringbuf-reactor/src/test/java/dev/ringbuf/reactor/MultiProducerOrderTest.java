package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Several producers on one ring: every record arrives, each producer's in its order. */
class MultiProducerOrderTest {

    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 25_000;

    @Test
    void everyRecordArrivesInPerProducerOrder() throws InterruptedException {
        RingBuffer ring = RingBuffer.builder().name("multi").capacity(1 << 14).build();
        long[] next = new long[PRODUCERS];
        AtomicReference<String> error = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        CountDownLatch completed = new CountDownLatch(1);

        // Variable-size records (producer, seq, padding) with every wakeup mode; poll timer on for NONE commits.
        Flux<long[]> flux = RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(5))
                .decode(record -> new long[] {record.getInt(0), record.getLong(8), record.length()});
        flux.limitRate(64).subscribe(decoded -> {
            int producer = (int) decoded[0];
            if (decoded[1] != next[producer] && error.get() == null) {
                error.set("producer " + producer + ": got " + decoded[1] + ", expected " + next[producer]);
            }
            next[producer] = decoded[1] + 1;
            received.incrementAndGet();
        }, failure -> error.set(failure.toString()), completed::countDown);

        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long seq = 0; seq < PER_PRODUCER; seq++) {
                    int size = 16 + (int) (seq % 5) * 8;
                    Wakeup wakeup = Wakeup.values()[(int) (seq % 3)];
                    for (;;) {
                        try (Reservation reservation = ring.reserve(size)) {
                            if (reservation != null) {
                                reservation.putInt(0, producer).putLong(8, seq).commit(wakeup);
                                break;
                            }
                        }
                        Thread.onSpinWait(); // full: retry, so nothing is lost
                    }
                }
            }, "producer-" + p);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        ring.close();

        assertThat(completed.await(30, TimeUnit.SECONDS)).as("completed after close").isTrue();
        assertThat(error.get()).isNull();
        assertThat(received.get()).isEqualTo((long) PRODUCERS * PER_PRODUCER);
        for (int p = 0; p < PRODUCERS; p++) {
            assertThat(next[p]).isEqualTo(PER_PRODUCER);
        }
    }
}
