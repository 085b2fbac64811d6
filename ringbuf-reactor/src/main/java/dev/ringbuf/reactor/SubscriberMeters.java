package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code ringbuf.subscriber.demand} gauge (and, in manual release, {@code ringbuf.subscriber.outstanding}),
 * registered while a subscriber is attached: in the registry given to
 * {@link RingBufferFluxBuilder#metrics} and in every registry a {@link RingBufferMetrics} of the ring was bound to.
 * Registration happens when a subscription starts and removal when it winds down, both off the hot path.
 */
final class SubscriberMeters {

    /** The demand gauge's name. */
    static final String DEMAND = "ringbuf.subscriber.demand";
    /** The manual-release gauge's name: records emitted and not yet released. */
    static final String OUTSTANDING = "ringbuf.subscriber.outstanding";

    /** The registries a ring's RingBufferMetrics were bound to; kept with the ring ({@code attachments()}). */
    private final List<Binding> bound = new ArrayList<>(1);

    private static SubscriberMeters of(RingBuffer ring) {
        return ring.attachments().get(SubscriberMeters.class, SubscriberMeters::new);
    }

    /** Remembers that the ring's meters live in {@code registry} with {@code tags} (RingBufferMetrics.bindTo). */
    static void bind(RingBuffer ring, MeterRegistry registry, Tags tags) {
        final Binding binding = new Binding(registry, tags);
        final SubscriberMeters meters = of(ring);
        synchronized (meters) {
            if (!meters.bound.contains(binding)) {
                meters.bound.add(binding);
            }
        }
    }

    /** Registers the demand gauge of {@code subscription}; returns what to remove when it goes. */
    static List<Registration> register(RingBuffer ring, RingSubscription<?> subscription, MeterRegistry extra) {
        final List<Binding> targets = new ArrayList<>(2);
        final SubscriberMeters meters = of(ring);
        synchronized (meters) {
            targets.addAll(meters.bound);
        }
        if (extra != null && targets.stream().noneMatch(binding -> binding.registry == extra)) {
            targets.add(new Binding(extra, Tags.empty())); // a bound registry already gets it, with the bound tags
        }
        if (targets.isEmpty()) {
            return null;
        }
        final List<Registration> registrations = new ArrayList<>(targets.size());
        for (Binding target : targets) {
            final Gauge gauge = Gauge.builder(DEMAND, subscription, RingSubscription::demand)
                    .description("Records requested by the ring's subscriber and not yet delivered "
                            + "(9.2E18 = Long.MAX_VALUE = unbounded)")
                    .tags(target.tags)
                    .tag(RingBufferMetrics.RING_TAG, ring.name())
                    .register(target.registry);
            registrations.add(new Registration(target.registry, gauge));
            if (subscription.maxOutstanding() > 0) {
                final Gauge outstanding = Gauge.builder(OUTSTANDING, subscription, RingSubscription::outstanding)
                        .description("Records emitted to the ring's subscriber in manual-release mode and not yet "
                                + "released (bounded by maxOutstanding); a plateau means a record is not released")
                        .tags(target.tags)
                        .tag(RingBufferMetrics.RING_TAG, ring.name())
                        .register(target.registry);
                registrations.add(new Registration(target.registry, outstanding));
            }
        }
        return registrations;
    }

    static void remove(List<Registration> registrations) {
        for (Registration registration : registrations) {
            registration.registry.remove(registration.gauge);
        }
    }

    /** A registry and the extra tags its ring meters carry. */
    private static final class Binding {
        final MeterRegistry registry;
        final Tags tags;

        Binding(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Binding && ((Binding) other).registry == registry
                    && ((Binding) other).tags.equals(tags);
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(registry), tags);
        }
    }

    /** A gauge registered in a registry. */
    static final class Registration {
        final MeterRegistry registry;
        final Gauge gauge;

        Registration(MeterRegistry registry, Gauge gauge) {
            this.registry = registry;
            this.gauge = gauge;
        }
    }
}
