package dev.ringbuf.benchmarks.transports;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * JCTools {@code MpscArrayQueue<byte[]>}: each record is a new 32-byte array (the allocation is part of what this
 * peer costs); the consumer is {@code drain(consumer)}.
 */
public final class JCToolsTransport implements Transport {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final MpscArrayQueue<byte[]> queue;
    private final Drain drain = new Drain();

    /**
     * A queue of {@code slots} references.
     *
     * @param slots capacity
     */
    public JCToolsTransport(int slots) {
        this.queue = new MpscArrayQueue<>(slots);
    }

    @Override
    public Producer producer(int id) {
        final Backoff backoff = new Backoff();
        final MpscArrayQueue<byte[]> queue = this.queue;
        return sequence -> {
            final byte[] record = new byte[Records.SIZE];
            LONG.set(record, 0, sequence);
            LONG.set(record, 8, Records.filler(sequence, 1));
            LONG.set(record, 16, Records.filler(sequence, 2));
            LONG.set(record, 24, Records.filler(sequence, 3));
            while (!queue.offer(record)) {
                backoff.idle();
            }
            backoff.reset();
        };
    }

    @Override
    public int poll(Validator validator) {
        drain.validator = validator;
        return queue.drain(drain);
    }

    private static final class Drain implements MessagePassingQueue.Consumer<byte[]> {
        Validator validator;

        @Override
        public void accept(byte[] record) {
            validator.accept((long) LONG.get(record, 0));
        }
    }
}
