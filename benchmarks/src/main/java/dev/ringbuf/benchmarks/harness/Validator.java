package dev.ringbuf.benchmarks.harness;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The consumer's check of every record: per producer, sequences must arrive in order and without gaps (lossless
 * workloads) or in increasing order (lossy ones). Written by the consumer thread only; the counts it publishes after
 * each batch let producers wait until their records were received end to end.
 */
public final class Validator {

    /** Longs between two published counts: 128 bytes, so that producers polling their own count share no line. */
    private static final int STRIDE = 16;

    private final boolean lossless;
    private final long[] next = new long[Records.MAX_PRODUCERS];
    private final long[] counts = new long[Records.MAX_PRODUCERS];
    private final AtomicLongArray received = new AtomicLongArray((Records.MAX_PRODUCERS + 2) * STRIDE);
    private volatile String failure;
    private long delivered;
    /** One more than the highest producer id seen: publish() covers only those. */
    private int producers;

    /**
     * A validator.
     *
     * @param lossless whether every record must arrive (else gaps are allowed, order still checked)
     */
    public Validator(boolean lossless) {
        this.lossless = lossless;
        for (int p = 0; p < next.length; p++) {
            next[p] = Records.firstSequence(p);
        }
    }

    /**
     * Checks one record's sequence. Consumer thread only.
     *
     * @param sequence the sequence the consumer read from the record
     */
    public void accept(long sequence) {
        final int producer = Records.producerOf(sequence);
        final long expected = next[producer];
        if (sequence != expected && (lossless || sequence < expected)) {
            fail(sequence, expected);
            return;
        }
        next[producer] = sequence + 1;
        counts[producer]++;
        delivered++;
        if (producer >= producers) {
            producers = producer + 1;
        }
    }

    /**
     * Checks one record and publishes its producer's progress at once: for consumers (Flux subscribers) that have
     * no batch boundary to publish at. Consumer thread only.
     *
     * @param sequence the sequence the consumer read from the record
     */
    public void acceptAndPublish(long sequence) {
        accept(sequence);
        final int producer = Records.producerOf(sequence);
        received.lazySet((producer + 1) * STRIDE, next[producer]);
        received.lazySet((producer + 1) * STRIDE + 1, counts[producer]);
    }

    private void fail(long sequence, long expected) {
        if (failure == null) {
            failure = "record out of order or lost: got producer " + Records.producerOf(sequence) + " seq "
                    + (sequence & ((1L << Records.COUNT_BITS) - 1)) + ", expected seq "
                    + (expected & ((1L << Records.COUNT_BITS) - 1));
        }
    }

    /**
     * Records a failure seen outside the records (an {@code onError}, say). Any thread.
     *
     * @param why what went wrong
     */
    public void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    /** Publishes how far each producer's records have been received. Consumer thread, once per batch. */
    public void publish() {
        for (int p = 0; p < producers; p++) {
            received.lazySet((p + 1) * STRIDE, next[p]);
            received.lazySet((p + 1) * STRIDE + 1, counts[p]);
        }
        received.lazySet((Records.MAX_PRODUCERS + 1) * STRIDE, delivered);
    }

    /**
     * Records of {@code producer} received so far (as last published), lossless workloads: the next sequence expected.
     *
     * @param producer the producer id
     * @return the next expected sequence of that producer
     */
    public long nextExpected(int producer) {
        return received.get((producer + 1) * STRIDE);
    }

    /**
     * Records of {@code producer} delivered so far (as last published); differs from the sequence progress only in
     * lossy workloads.
     *
     * @param producer the producer id
     * @return the count
     */
    public long deliveredFrom(int producer) {
        return received.get((producer + 1) * STRIDE + 1);
    }

    /**
     * Records delivered so far, all producers, as last published.
     *
     * @return the count
     */
    public long delivered() {
        return received.get((Records.MAX_PRODUCERS + 1) * STRIDE);
    }

    /** Throws if a record failed validation. Any thread. */
    public void check() {
        final String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
