package dev.ringbuf.benchmarks.flux;

import dev.ringbuf.benchmarks.harness.Transport;
import org.reactivestreams.Subscriber;

/** A source of records exposed as a Flux: producers on one side, one subscriber on the other. */
public interface FluxSource extends AutoCloseable {

    /**
     * A producer handle for one thread.
     *
     * @param id producer id
     * @return the handle
     */
    Transport.Producer producer(int id);

    /**
     * Subscribes the benchmark's subscriber to the source's Flux, whose signals arrive on a thread of its own.
     *
     * @param subscriber the subscriber
     */
    void subscribe(Subscriber<Object> subscriber);

    /**
     * The sequence carried by an emitted element.
     *
     * @param element what {@code onNext} received
     * @return the record's sequence
     */
    long sequenceOf(Object element);

    /**
     * Whether the source drops records when the subscriber has no demand.
     *
     * @return true for lossy sources
     */
    default boolean lossy() {
        return false;
    }

    /**
     * Records of {@code producer} dropped so far (lossy sources).
     *
     * @param producer the producer id
     * @return the count
     */
    default long dropped(int producer) {
        return 0;
    }

    @Override
    void close();
}
