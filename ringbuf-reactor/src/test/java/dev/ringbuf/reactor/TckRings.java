package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Rings for the Reactive Streams TCK: {@code elements} records, then close. Small counts are written up front; large
 * ones (the TCK asks for up to Integer.MAX_VALUE) by a feeder thread that writes as space frees and stops when the
 * test ends.
 */
final class TckRings {

    private static final long PREFILLED = 4096;

    private final List<Thread> feeders = new CopyOnWriteArrayList<>();
    private final List<Disposable> holders = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    <T> Publisher<T> publisher(long elements, Function<RingBuffer, Flux<T>> flux) {
        if (elements <= PREFILLED) {
            RingBuffer ring = RingBuffer.builder().name("tck-" + elements).capacity(1 << 17).build();
            Rings.putAll(ring, 0, elements);
            ring.close();
            return flux.apply(ring);
        }
        RingBuffer ring = RingBuffer.builder().name("tck-fed").capacity(1 << 12).build();
        Thread feeder = new Thread(() -> {
            for (long i = 0; i < elements && !stopped; ) {
                if (Rings.put(ring, i)) {
                    i++;
                } else {
                    LockSupport.parkNanos(100_000); // full: the subscriber is slower, or gone
                }
            }
            ring.close();
        }, "tck-feeder");
        feeder.setDaemon(true);
        feeders.add(feeder);
        feeder.start();
        return flux.apply(ring);
    }

    /** A Flux whose ring already has a live subscriber: subscribing fails with onError(IllegalStateException). */
    <T> Publisher<T> failed(Function<RingBuffer, Flux<T>> flux) {
        RingBuffer ring = RingBuffer.builder().name("tck-taken").capacity(4096).build();
        BaseSubscriber<Record> holder = new BaseSubscriber<>() {
        };
        RingBufferFlux.records(ring).subscribe(holder);
        holders.add(holder);
        return flux.apply(ring);
    }

    void stop() throws InterruptedException {
        stopped = true;
        for (Thread feeder : feeders) {
            feeder.join(10_000);
        }
        feeders.clear();
        holders.forEach(Disposable::dispose);
        holders.clear();
        stopped = false;
    }
}
