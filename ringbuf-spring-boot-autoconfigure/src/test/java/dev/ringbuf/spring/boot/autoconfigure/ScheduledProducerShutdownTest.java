package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RingBufferFlux;
import dev.ringbuf.reactor.RingFanOut;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The starter starts a {@link RingFanOut} bean before the producers and stops it last, so that a {@code @Scheduled}
 * producer on Spring Boot's default task scheduler loses nothing at shutdown: scheduling stops (running tasks finish),
 * the ring is closed and drained, and only then does the fan-out stop. Every record written reaches the subscriber,
 * and no write fails because the ring was closed under a running task.
 */
class ScheduledProducerShutdownTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class,
                    RingBufferAutoConfiguration.class))
            .withUserConfiguration(Feed.class)
            .withPropertyValues("ringbuf.rings.events.capacity=1MB");

    @Test
    void aScheduledProducerDropsNothingAtShutdownAndTheFanOutDeliversEveryRecord() throws InterruptedException {
        final AtomicReference<Feed> feed = new AtomicReference<>();
        final AtomicReference<RingBuffer> ring = new AtomicReference<>();
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            feed.set(context.getBean(Feed.class));
            ring.set(context.getBean("events", RingBuffer.class));
            // Shut down while the producer is busy: at least a few runs of it, each writing a batch.
            assertThat(feed.get().runs.await(10, TimeUnit.SECONDS)).isTrue();
        });
        assertThat(feed.get().completed.await(10, TimeUnit.SECONDS)).as("the fan-out's subscriber completed").isTrue();
        assertThat(ring.get().droppedRecords(DropReason.CLOSED)).as("writes into the closed ring").isZero();
        assertThat(feed.get().failed.get()).as("failed writes").isZero();
        assertThat(feed.get().written.get()).isGreaterThanOrEqualTo(Feed.BATCH * 5L);
        assertThat(feed.get().received).hasSize((int) feed.get().written.get());
        for (int i = 0; i < feed.get().received.size(); i++) {
            assertThat(feed.get().received.get(i)).isEqualTo(i); // in order, none missing
        }
        assertThat(feed.get().fanOut.isDisposed()).as("the fan-out was stopped by the starter").isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Feed {

        static final int BATCH = 200;

        final AtomicLong written = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final CountDownLatch runs = new CountDownLatch(5);
        final List<Long> received = new CopyOnWriteArrayList<>();
        final CountDownLatch completed = new CountDownLatch(1);
        volatile RingFanOut<Long> fanOut;
        volatile RingBuffer ring;

        /**
         * The fan-out, built and not started: the starter starts it.
         *
         * @param ring the ring
         * @return the fan-out, with one subscriber connected
         */
        @Bean
        RingFanOut<Long> eventFeed(@Qualifier("events") RingBuffer ring) {
            this.ring = ring;
            fanOut = RingFanOut.builder(RingBufferFlux.decode(ring, record -> record.getLong(0))).build();
            fanOut.connect("test", 4096).doOnComplete(completed::countDown).subscribe(received::add);
            return fanOut;
        }

        /** Writes a batch every millisecond, on Spring Boot's default task scheduler. */
        @Scheduled(fixedRate = 1)
        void produce() {
            final RingBuffer events = ring;
            for (int i = 0; i < BATCH; i++) {
                final long sequence = written.get();
                final byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(sequence).array();
                if (events.output(bytes)) {
                    written.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }
            runs.countDown();
        }
    }
}
