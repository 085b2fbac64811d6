package dev.ringbuf.benchmarks.flux;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.transports.Transports;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * The best a user could build on Agrona: a {@code ManyToOneRingBuffer} (producers {@code tryClaim}/{@code commit})
 * drained into a {@link Flux} by a small hand-written {@link Subscription}. A dedicated drain thread reads at most the
 * outstanding demand per {@code read}, spinning then yielding when the ring is empty or demand is zero (Agrona has
 * no wakeups), and emits one reused flyweight (zero allocation; valid only during {@code onNext}).
 */
final class AgronaFluxSource implements FluxSource {

    /** The flyweight each {@code onNext} receives. */
    static final class View {
        DirectBuffer buffer;
        int index;
        int length;
    }

    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(Transports.RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private DrainSubscription subscription;

    @Override
    public void subscribe(Subscriber<Object> subscriber) {
        Flux.from(s -> {
            subscription = new DrainSubscription(ring, s);
            s.onSubscribe(subscription);
            subscription.start();
        }).subscribe(subscriber);
    }

    @Override
    public Transport.Producer producer(int id) {
        final Backoff backoff = new Backoff();
        final AtomicBuffer buffer = ring.buffer();
        return sequence -> {
            int index;
            while ((index = ring.tryClaim(1, Records.SIZE)) < 0) {
                backoff.idle();
            }
            backoff.reset();
            buffer.putLong(index, sequence);
            buffer.putLong(index + 8, Records.filler(sequence, 1));
            buffer.putLong(index + 16, Records.filler(sequence, 2));
            buffer.putLong(index + 24, Records.filler(sequence, 3));
            ring.commit(index);
        };
    }

    @Override
    public long sequenceOf(Object element) {
        final View view = (View) element;
        return view.buffer.getLong(view.index);
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.cancel();
            subscription.join();
        }
    }

    /** Demand accounting plus the drain thread. */
    static final class DrainSubscription implements Subscription, MessageHandler, Runnable {
        private final ManyToOneRingBuffer ring;
        private final Subscriber<Object> actual;
        private final AtomicLong requested = new AtomicLong();
        private final View view = new View();
        private final Thread thread = new Thread(this, "agrona-flux-drain");
        private volatile boolean cancelled;

        DrainSubscription(ManyToOneRingBuffer ring, Subscriber<? super Object> actual) {
            this.ring = ring;
            @SuppressWarnings("unchecked")
            final Subscriber<Object> a = (Subscriber<Object>) actual;
            this.actual = a;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void join() {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                actual.onError(new IllegalArgumentException("request " + n + " must be positive (rule 3.9)"));
                return;
            }
            requested.getAndUpdate(r -> Operators.addCap(r, n));
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public void run() {
            final Backoff backoff = new Backoff();
            while (!cancelled) {
                final long demand = requested.get();
                final int n = demand == 0 ? 0 : ring.read(this, (int) Math.min(demand, 256));
                if (n > 0) {
                    requested.addAndGet(-n);
                    backoff.reset();
                } else {
                    backoff.idle();
                }
            }
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            final View view = this.view;
            view.buffer = buffer;
            view.index = index;
            view.length = length;
            actual.onNext(view);
        }
    }
}
