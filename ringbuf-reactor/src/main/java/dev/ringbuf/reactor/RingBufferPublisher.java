package dev.ringbuf.reactor;

import java.util.Objects;
import java.util.stream.Stream;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.function.Tuples;

/**
 * The Flux behind {@link RingBufferFlux} and {@link RingGroupFlux}: a hand-written source whose subscriptions drain
 * a ring or a group on a scheduler worker (one drain, {@link RingSubscription}). Cold, and one subscriber at a time
 * per ring or group (across every Flux of it): a second one queues behind the first and fails if the first is still
 * live after the hand-over timeout.
 *
 * @param <T> what it emits
 */
final class RingBufferPublisher<T> extends Flux<T> implements Scannable {

    /** Makes the subscription of one subscriber. */
    @FunctionalInterface
    interface SubscriptionFactory<T> {
        RingSubscription<T> create(CoreSubscriber<? super T> actual, Scheduler.Worker worker);
    }

    private final DrainTarget target;
    private final DrainSettings settings;
    private final SubscriptionFactory<T> factory;

    private RingBufferPublisher(DrainTarget target, DrainSettings settings, SubscriptionFactory<T> factory) {
        this.target = target;
        this.settings = settings;
        this.factory = factory;
    }

    /** A new Flux, through Reactor's assembly hooks (checkpoints, debug mode). */
    static <T> Flux<T> create(DrainTarget target, DrainSettings settings, SubscriptionFactory<T> factory) {
        return onAssembly(new RingBufferPublisher<>(target, settings, factory));
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Objects.requireNonNull(actual, "subscriber must not be null");
        final Scheduler scheduler = settings.scheduler();
        final Scheduler.Worker worker = scheduler.createWorker();
        final RingSubscription<T> subscription = factory.create(actual, worker);
        final RingSubscription<?> predecessor = Attachments.attach(target, subscription);
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
            return target.name();
        }
        if (key == Attr.TAGS) {
            return Stream.of(Tuples.of(RingBufferMetrics.RING_TAG, target.name())); // as the meters tag it
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
        return "ringbuf(" + target.name() + ")";
    }
}
