package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race between abandoning a record and its producer's late commit, many times over: producers on a ring file
 * with a short stall timeout sometimes stall between writing their payload and committing. Every record must end
 * exactly one way: delivered once, intact and in its producer's order, or abandoned, in which case its commit threw.
 * Bounded by a record count; about two seconds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbandonRaceStressTest {

    private static final int PRODUCERS = 3;
    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    @Test
    void everyRecordIsEitherDeliveredOnceIntactOrAbandonedWithAFailedCommit() throws Exception {
        final Path file = dir.resolve("race.ring");
        final RingBuffer consumer = RingBuffer.builder().file(file).capacity(4096).maxRecordSize(64)
                .stallTimeout(Duration.ofMillis(100)).create();
        final AtomicLong failedCommits = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(PRODUCERS);
        for (int id = 0; id < PRODUCERS; id++) {
            final RingBuffer producer = RingBuffer.builder().file(file).open(); // one mapping per "process"
            final long producerId = id;
            final Thread thread = new Thread(() -> {
                try {
                    for (long seq = 0; seq < RECORDS; seq++) {
                        Reservation r;
                        while ((r = producer.reserve(24)) == null) {
                            Thread.yield();
                        }
                        r.putLong(0, producerId).putLong(8, seq).putLong(16, producerId * 1_000_003L ^ seq);
                        if (ThreadLocalRandom.current().nextInt(4000) == 0) {
                            // a stall longer than the timeout: the consumer may abandon the record meanwhile
                            TimeUnit.MILLISECONDS.sleep(130); // the fault under test, not synchronisation
                        }
                        try {
                            r.commit();
                        } catch (IllegalStateException abandoned) {
                            assertThat(abandoned).hasMessageContaining("abandoned");
                            failedCommits.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }, "producer-" + id);
            thread.start();
        }

        final long[] next = new long[PRODUCERS];
        final long[] delivered = new long[1];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (done.getCount() > 0 || consumer.availableData() > 0) {
            assertThat(System.nanoTime() - deadline).as("drained within 50 s").isNegative();
            final int n = consumer.consume(r -> {
                final int id = (int) r.getLong(0);
                final long seq = r.getLong(8);
                assertThat(r.getLong(16)).as("payload intact").isEqualTo(id * 1_000_003L ^ seq);
                assertThat(seq).as("producer %d in order, no duplicate", id).isGreaterThanOrEqualTo(next[id]);
                next[id] = seq + 1;
                delivered[0]++;
            });
            if (n == 0) {
                consumer.awaitData(Duration.ofMillis(5));
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(delivered[0] + failedCommits.get()).as("every record delivered or abandoned")
                .isEqualTo((long) PRODUCERS * RECORDS);
        assertThat(consumer.abandonedRecords()).isEqualTo(failedCommits.get());
        assertThat(failedCommits.get()).as("the stalls did cause abandonments").isPositive();
        assertThat(consumer.discardedRecords()).as("abandoned records are counted apart from discarded ones").isZero();
    }
}
