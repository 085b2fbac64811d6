package dev.ringbuf.benchmarks.transports;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;

/**
 * The LMAX Disruptor, multi-producer sequencer, preallocated events of four longs (32 bytes). Producers
 * {@code tryNext}/write/{@code publish} (lossless: retry with the common backoff); the consumer is an
 * {@link EventPoller}, so that it runs the same consumer loop as every other implementation.
 */
public final class DisruptorTransport implements Transport {

    /** The event: 32 bytes of fields, all written. */
    static final class Event {
        long sequence;
        long filler1;
        long filler2;
        long filler3;
    }

    private final RingBuffer<Event> ring;
    private final EventPoller<Event> poller;
    private final Handler handler = new Handler();

    /**
     * A ring of {@code slots} events.
     *
     * @param slots a power of two
     */
    public DisruptorTransport(int slots) {
        this.ring = RingBuffer.createMultiProducer(Event::new, slots);
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
    }

    @Override
    public Producer producer(int id) {
        final Backoff backoff = new Backoff();
        final RingBuffer<Event> ring = this.ring;
        return sequence -> {
            long slot;
            for (;;) {
                try {
                    slot = ring.tryNext();
                    break;
                } catch (InsufficientCapacityException full) {
                    backoff.idle();
                }
            }
            backoff.reset();
            final Event event = ring.get(slot);
            event.sequence = sequence;
            event.filler1 = Records.filler(sequence, 1);
            event.filler2 = Records.filler(sequence, 2);
            event.filler3 = Records.filler(sequence, 3);
            ring.publish(slot);
        };
    }

    @Override
    public int poll(Validator validator) {
        handler.validator = validator;
        handler.count = 0;
        try {
            poller.poll(handler);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return handler.count;
    }

    private static final class Handler implements EventPoller.Handler<Event> {
        Validator validator;
        int count;

        @Override
        public boolean onEvent(Event event, long sequence, boolean endOfBatch) {
            validator.accept(event.sequence);
            count++;
            return true;
        }
    }
}
