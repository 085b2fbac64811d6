package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Cancel and resubscribe lose nothing, under load: while a producer writes, subscribers follow one another as fast
 * as they can (each takes a few records and cancels from inside onNext, and the next subscribes before the previous
 * drain has let go of the ring). Together they must see every record exactly once, in order.
 */
class ResubscribeStressTest {

    private static final int RECORDS = 20_000;

    @Test
    void subscribersInSuccessionSeeEveryRecordExactlyOnceInOrder() throws InterruptedException {
        RingBuffer ring = RingBuffer.builder().name("succession").capacity(1 << 12).build();
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (long i = 0; i < RECORDS && !stop.get() && System.nanoTime() < deadline; ) {
                if (Rings.put(ring, i)) {
                    i++;
                } else {
                    Thread.onSpinWait(); // full between subscribers: retry
                }
            }
            ring.close();
        }, "succession-producer");
        producer.start();

        Flux<Long> flux = RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(10)).records().map(Rings::seq);
        List<Long> seen = new ArrayList<>(RECORDS);
        int subscribers = 0;
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (seen.size() < RECORDS) {
                int take = 1 + random.nextInt(200);
                List<Long> batch = (random.nextBoolean() ? flux.take(take) : flux.takeUntil(seq -> random.nextInt(
                        take) == 0)).collectList().block(Duration.ofSeconds(20));
                assertThat(batch).as("subscriber %d got records", subscribers).isNotNull();
                seen.addAll(batch);
                subscribers++;
                if (batch.isEmpty()) {
                    break; // completed: the ring is closed and drained
                }
            }
        } finally {
            stop.set(true);
            producer.join(10_000);
        }
        assertThat(subscribers).isGreaterThan(100);
        assertThat(seen).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            if (seen.get(i) != i) {
                assertThat(seen.get(i)).as("record at index %d", i).isEqualTo(i);
            }
        }
        assertThat(ring.consumedRecords()).isEqualTo(RECORDS);
    }
}
