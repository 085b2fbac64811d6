package dev.ringbuf.benchmarks.transports;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ceiling: the least a byte ring can do. One producer, no CAS; an 8-byte header + payload written with plain
 * stores, then one release store of the producer position per record; the consumer reads the producer position once
 * per poll and publishes its own position once per poll; each side caches the other's position. No zeroing, no
 * wakeups, no multi-producer support, no discard, no closing: what ringbuf's features cost is measured against it.
 */
public final class CeilingTransport implements Transport {

    /** 8-byte words of the positions buffer; each position has its own 128-byte line (no false sharing). */
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int HEAD = 128;
    private static final int TAIL = 256;

    private final ByteBuffer buffer;
    private final int capacity;
    private final int mask;
    private final ByteBuffer positions = ByteBuffer.allocateDirect(384);
    /** The consumer's own copy of its position. */
    private long consumerTail;
    private boolean producerTaken;

    /**
     * A ring of {@code capacity} bytes (power of two), with a tail extension so that records stay contiguous.
     *
     * @param capacity bytes
     */
    public CeilingTransport(int capacity) {
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.buffer = ByteBuffer.allocateDirect(capacity + 64).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public Producer producer(int id) {
        if (producerTaken) {
            throw new IllegalStateException("the ceiling ring has a single producer");
        }
        producerTaken = true;
        return new CeilingProducer();
    }

    @Override
    public int poll(Validator validator) {
        final ByteBuffer buffer = this.buffer;
        long tail = consumerTail; // plain: only the consumer writes it
        final long head = (long) WORD.getAcquire(positions, HEAD); // pairs with the producer's release: records visible
        int n = 0;
        while (tail < head) {
            final int offset = (int) (tail & mask);
            final int length = (int) buffer.getLong(offset);
            validator.accept(buffer.getLong(offset + 8));
            tail += (length + 8 + 7) & ~7;
            n++;
        }
        if (n > 0) {
            consumerTail = tail;
            WORD.setRelease(positions, TAIL, tail); // our reads of the space happen-before the producer reuses it
        }
        return n;
    }

    private final class CeilingProducer implements Producer {
        private final ByteBuffer buffer = CeilingTransport.this.buffer;
        private final ByteBuffer positions = CeilingTransport.this.positions;
        private final Backoff backoff = new Backoff();
        private long head;
        private long cachedTail;

        @Override
        public void send(long sequence) {
            final int recordLength = (Records.SIZE + 8 + 7) & ~7;
            final long next = head + recordLength;
            if (next - cachedTail > capacity) {
                while (next - (cachedTail = (long) WORD.getAcquire(positions, TAIL)) > capacity) {
                    backoff.idle();
                }
                backoff.reset();
            }
            final int offset = (int) (head & mask);
            buffer.putLong(offset, Records.SIZE);
            buffer.putLong(offset + 8, sequence);
            buffer.putLong(offset + 16, Records.filler(sequence, 1));
            buffer.putLong(offset + 24, Records.filler(sequence, 2));
            buffer.putLong(offset + 32, Records.filler(sequence, 3));
            head = next;
            WORD.setRelease(positions, HEAD, next); // the record's bytes happen-before the consumer sees the position
        }
    }
}
