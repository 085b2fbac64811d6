package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
import java.util.Objects;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The Flux behind {@link RingBufferFlux}: a hand-written source whose subscriptions drain the ring on a scheduler
 * worker. Cold, and one subscriber at a time per ring (across every Flux of that ring).
 *
 * @param <T> what it emits
 */
final class RingBufferPublisher<T> extends Flux<T> implements Scannable {

    /** Makes the subscription of one subscriber. */
    @FunctionalInterface
    interface SubscriptionFactory<T> {
        RingSubscription<T> create(CoreSubscriber<? super T> actual, Scheduler.Worker worker);
    }

    private final RingBuffer ring;
    private final DrainSettings settings;
    private final SubscriptionFactory<T> factory;

    private RingBufferPublisher(RingBuffer ring, DrainSettings settings, SubscriptionFactory<T> factory) {
        this.ring = ring;
        this.settings = settings;
        this.factory = factory;
    }

    /** A new Flux, through Reactor's assembly hooks (checkpoints, debug mode). */
    static <T> Flux<T> create(RingBuffer ring, DrainSettings settings, SubscriptionFactory<T> factory) {
        return onAssembly(new RingBufferPublisher<>(ring, settings, factory));
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Objects.requireNonNull(actual, "subscriber must not be null");
        final Scheduler scheduler = settings.scheduler();
        final Scheduler.Worker worker = scheduler.createWorker();
        final RingSubscription<T> subscription = factory.create(actual, worker);
        final RingSubscription<?> predecessor = Attachments.attach(ring, subscription);
        actual.onSubscribe(subscription);
        if (predecessor != null && !predecessor.isDetached()) {
            subscription.armHandOverTimer(worker, settings.handOverNanos);
        }
        subscription.start();
    }

    @Override
    @SuppressWarnings("rawtypes") // Scannable's own signature
    public Object scanUnsafe(Attr key) {
        if (key == Attr.NAME) {
            return ring.name();
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.ASYNC;
        }
        if (key == Attr.PREFETCH) {
            return settings.batchSize; // in records, as Reactor operators count
        }
        return null;
    }

    @Override
    public String stepName() {
        return "ringbuf(" + ring.name() + ")";
    }
}
