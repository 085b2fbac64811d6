package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A {@code records()} view read on another thread while the drain releases it: every read either returns the
 * record's own bytes or throws {@link IllegalStateException} — never another record's bytes, never an
 * {@link IndexOutOfBoundsException}. Bounded in time (1.5 s of racing).
 */
class UseAfterReleaseStressTest {

    @Test
    void aViewReadOnAnotherThreadDuringItsReleaseIsNeverCorrupt() throws InterruptedException {
        // Each record: seq, then seq again, with a length that varies, so a stale view would see mismatched bytes.
        RingBuffer ring = Rings.ring("use-after-release", 1024);
        AtomicReference<Record> shared = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong valid = new AtomicLong();
        AtomicLong detected = new AtomicLong();
        AtomicReference<Throwable> wrong = new AtomicReference<>();

        Thread producer = new Thread(() -> {
            RingEmitter<Long> emitter = RingEmitter.create(ring, RecordEncoder.of(seq -> 16 + (int) (seq % 5) * 8,
                    (seq, buffer, offset) -> buffer.putLong(offset, seq).putLong(offset + 8, seq)));
            for (long seq = 0; !stop.get(); ) {
                if (emitter.tryEmit(seq) == reactor.core.publisher.Sinks.EmitResult.OK) {
                    seq++;
                } else {
                    Thread.onSpinWait(); // the racing reader below is the point: keep the ring busy
                }
            }
        }, "uar-producer");
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                Record record = shared.get();
                if (record == null) {
                    continue;
                }
                try {
                    long first = record.getLong(0);
                    long second = record.getLong(8);
                    int length = record.length();
                    if (first != second || length != 16 + (int) (first % 5) * 8) {
                        wrong.compareAndSet(null, new AssertionError("read another record's bytes: " + first + "/"
                                + second + " length " + length));
                    }
                    valid.incrementAndGet();
                } catch (IllegalStateException expected) {
                    detected.incrementAndGet();
                } catch (Throwable other) {
                    wrong.compareAndSet(null, other);
                }
            }
        }, "uar-reader");

        Disposable subscription = RingBufferFlux.builder(ring).pollInterval(Duration.ofMillis(1)).records()
                .subscribe(shared::set);
        producer.start();
        reader.start();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < end && wrong.get() == null) {
            Thread.onSpinWait();
        }
        stop.set(true);
        producer.join(10_000);
        reader.join(10_000);
        subscription.dispose();

        assertThat(wrong.get()).as("a racing read returned wrong bytes or threw something else").isNull();
        assertThat(detected.get()).as("the race happened: some reads were after release").isPositive();
    }
}
