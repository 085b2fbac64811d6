package dev.ringbuf.samples.plain;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Wakeup;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest complete program to copy: producers on several threads and one consumer, no Reactor.
 *
 * <p>Each producer reserves a record, writes it in place (zero copy) and commits it; the consumer consumes what is
 * committed and parks in {@code awaitData} when it has caught up. Shutdown order: stop the producers, close the
 * ring, let the consumer drain, join it. Run it with
 * {@code java -cp samples/target/ringbuf-samples.jar dev.ringbuf.samples.plain.PlainJavaSample}.
 */
public final class PlainJavaSample {

    private PlainJavaSample() {
    }

    /**
     * Runs the sample.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        run(3, 10_000, System.out);
    }

    /**
     * Runs {@code producers} threads writing {@code eventsEach} records each, and one consumer.
     *
     * @param producers producer threads
     * @param eventsEach records per producer
     * @param out where the summary goes
     * @return the records the consumer received
     * @throws InterruptedException if interrupted
     */
    public static long run(int producers, int eventsEach, PrintStream out) throws InterruptedException {
        // Single-type imports only: dev.ringbuf.core.Record shares its simple name with java.lang.Record.
        final RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 16).build();
        final long[] received = new long[1];

        final Thread consumer = new Thread(() -> {
            try {
                while (!ring.isClosedAndDrained()) {
                    final int n = ring.consume((Record record) -> {
                        final long sequence = record.getLong(0);   // read in place; valid until the lambda returns
                        final int producer = record.getInt(8);
                        received[0] += (sequence >= 0 && producer >= 0) ? 1 : 0;
                    });
                    if (n == 0) {
                        ring.awaitData(Duration.ofMillis(100)); // woken by commits; the timeout is a safety net
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consumer");
        consumer.start();

        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int producer = p;
            final Thread thread = new Thread(() -> {
                for (long sequence = 0; sequence < eventsEach; ) {
                    try (Reservation r = ring.reserve(12)) {     // null: full or closed (the ring counts the drop)
                        if (r == null) {
                            Thread.onSpinWait();                 // a real emitter would drop; we retry, to count
                            continue;
                        }
                        r.putLong(0, sequence).putInt(8, producer);
                        r.commit(Wakeup.DEFAULT);                // wakes the consumer only if it had caught up
                        sequence++;
                    }                                            // close() discards a record left uncommitted
                }
            }, "producer-" + p);
            threads.add(thread);
            thread.start();
        }

        for (Thread thread : threads) {
            thread.join();
        }
        ring.close();    // later reservations fail; committed records are still consumed
        consumer.join(); // the consumer ends once the ring is closed and drained
        out.printf("received %,d records from %d producers; %,d reservations failed while the ring was full%n",
                received[0], producers, ring.droppedRecords());
        return received[0];
    }
}
