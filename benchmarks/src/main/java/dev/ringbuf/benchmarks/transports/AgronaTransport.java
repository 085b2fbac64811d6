package dev.ringbuf.benchmarks.transports;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import java.nio.ByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Agrona's ring buffers with their default configuration (bounds checks on): {@code ManyToOneRingBuffer} or
 * {@code OneToOneRingBuffer}, producers using {@code tryClaim}/{@code commit} (zero copy) or {@code write} (copy from
 * a per-producer buffer); the consumer is {@code read(handler)}.
 */
public final class AgronaTransport implements Transport {

    private static final int MSG_TYPE = 1;

    private final RingBuffer ring;
    private final boolean useWrite;
    private final Handler handler = new Handler();

    /**
     * A ring of {@code capacity} data bytes.
     *
     * @param capacity bytes, a power of two
     * @param manyToOne {@code ManyToOneRingBuffer} if true, else {@code OneToOneRingBuffer}
     * @param useWrite producers copy with {@code write} instead of {@code tryClaim}/{@code commit}
     */
    public AgronaTransport(int capacity, boolean manyToOne, boolean useWrite) {
        final UnsafeBuffer memory = new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = manyToOne ? new ManyToOneRingBuffer(memory) : new OneToOneRingBuffer(memory);
        this.useWrite = useWrite;
    }

    @Override
    public Producer producer(int id) {
        return useWrite ? new WritingProducer() : new ClaimingProducer();
    }

    @Override
    public int poll(Validator validator) {
        handler.validator = validator;
        return ring.read(handler);
    }

    private static final class Handler implements MessageHandler {
        Validator validator;

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            validator.accept(buffer.getLong(index));
        }
    }

    private final class ClaimingProducer implements Producer {
        private final RingBuffer ring = AgronaTransport.this.ring;
        private final AtomicBuffer buffer = ring.buffer();
        private final Backoff backoff = new Backoff();

        @Override
        public void send(long sequence) {
            int index;
            while ((index = ring.tryClaim(MSG_TYPE, Records.SIZE)) < 0) {
                backoff.idle();
            }
            backoff.reset();
            buffer.putLong(index, sequence);
            buffer.putLong(index + 8, Records.filler(sequence, 1));
            buffer.putLong(index + 16, Records.filler(sequence, 2));
            buffer.putLong(index + 24, Records.filler(sequence, 3));
            ring.commit(index);
        }
    }

    private final class WritingProducer implements Producer {
        private final RingBuffer ring = AgronaTransport.this.ring;
        private final UnsafeBuffer source = new UnsafeBuffer(new byte[Records.SIZE]);
        private final Backoff backoff = new Backoff();

        @Override
        public void send(long sequence) {
            source.putLong(0, sequence);
            source.putLong(8, Records.filler(sequence, 1));
            source.putLong(16, Records.filler(sequence, 2));
            source.putLong(24, Records.filler(sequence, 3));
            while (!ring.write(MSG_TYPE, source, 0, Records.SIZE)) {
                backoff.idle();
            }
            backoff.reset();
        }
    }
}
