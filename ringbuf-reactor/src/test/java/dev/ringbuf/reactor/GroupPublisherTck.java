package dev.ringbuf.reactor;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

/**
 * The Reactive Streams TCK on {@code RingGroupFlux.records(group)} over a group of one ring (the rings of
 * {@link TckRings}), run by the JUnit Platform's TestNG engine.
 */
@Test
public class GroupPublisherTck extends PublisherVerification<GroupRecord> {

    private final TckRings rings = new TckRings();
    private final List<Disposable> holders = new CopyOnWriteArrayList<>();

    public GroupPublisherTck() {
        super(new TestEnvironment(2_000, 100), 2_000);
    }

    @Override
    public Publisher<GroupRecord> createPublisher(long elements) {
        return rings.publisher(elements, ring -> RingGroupFlux.records(RingGroup.of(ring)));
    }

    /** A group that already has a live subscriber: subscribing fails with onError(IllegalStateException). */
    @Override
    public Publisher<GroupRecord> createFailedPublisher() {
        RingGroup group = RingGroup.of(RingBuffer.builder().name("tck-taken").capacity(4096).build());
        BaseSubscriber<GroupRecord> holder = new BaseSubscriber<>() {
        };
        RingGroupFlux.records(group).subscribe(holder);
        holders.add(holder);
        return RingGroupFlux.records(group);
    }

    @AfterMethod
    public void stopFeeders() throws InterruptedException {
        rings.stop();
        holders.forEach(Disposable::dispose);
        holders.clear();
    }
}
