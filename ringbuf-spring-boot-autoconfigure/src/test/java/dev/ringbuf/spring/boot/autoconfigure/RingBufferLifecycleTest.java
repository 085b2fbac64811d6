package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** At shutdown: producers (default phase) stop, the rings close and drain, then lower phases (the web server) stop. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RingBufferLifecycleTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class));

    @Test
    void producersStopFirstThenTheRingsCloseAndDrainThenTheWebServerStops() {
        runner.withUserConfiguration(Phases.class).withPropertyValues("ringbuf.rings.events.capacity=64KB")
                .run(context -> {
                    final RingBuffer ring = context.getBean(RingBuffer.class);
                    final Phases.Consumer consumer = context.getBean(Phases.Consumer.class);
                    final Phases.Seen seen = context.getBean(Phases.Seen.class);
                    assertThat(ring.output(new byte[16])).isTrue();
                    assertThat(consumer.firstRead.await(10, TimeUnit.SECONDS)).isTrue();
                    context.close();
                    consumer.thread.join(10_000);

                    assertThat(seen.atStop).containsEntry("producers: ring closed", false);
                    assertThat(seen.atStop).containsEntry("web server: ring closed and drained", true);
                    assertThat(consumer.consumed).isEqualTo(1 + Phases.WRITTEN_AT_STOP); // nothing lost
                });
    }

    @Test
    void aRingWithAConsumerIsDrainedBeforeStopReturns() throws Exception {
        final RingBuffer ring = RingBuffer.builder().name("slow").capacity(1 << 16).build();
        final RingBufferLifecycle lifecycle = new RingBufferLifecycle(() -> List.of(ring), Duration.ofSeconds(10));
        lifecycle.start();
        for (int i = 0; i < 100; i++) {
            assertThat(ring.output(new byte[64])).isTrue();
        }
        final CountDownLatch firstRead = new CountDownLatch(1);
        final Thread consumer = new Thread(() -> { // one record per call: slow, but always making progress
            while (!ring.isClosedAndDrained()) {
                if (ring.consume(record -> { }, 1) > 0) {
                    firstRead.countDown();
                }
                Thread.yield();
            }
        });
        consumer.start();
        assertThat(firstRead.await(10, TimeUnit.SECONDS)).isTrue();
        lifecycle.stop();
        assertThat(ring.isClosedAndDrained()).isTrue();
        assertThat(lifecycle.isRunning()).isFalse();
        consumer.join(10_000);
        assertThat(ring.consumedRecords()).isEqualTo(100);
    }

    @Test
    void aConsumerThatStopsMakingProgressIsGivenUpAfterTheDrainTimeout() {
        final RingBuffer ring = RingBuffer.builder().name("stuck").capacity(1 << 12).build();
        final RingBufferLifecycle lifecycle = new RingBufferLifecycle(() -> List.of(ring), Duration.ofMillis(200));
        lifecycle.start();
        ring.output(new byte[8]);
        ring.output(new byte[8]);
        assertThat(ring.consume(record -> { }, 1)).isEqualTo(1); // it read once, then stopped
        final long start = System.nanoTime();
        lifecycle.stop();
        final long waited = System.nanoTime() - start;
        assertThat(ring.isClosed()).isTrue();
        assertThat(ring.isClosedAndDrained()).isFalse();
        assertThat(waited).isBetween(Duration.ofMillis(200).toNanos(), Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aRingNobodyReadsIsClosedWithoutWaiting() {
        final RingBuffer ring = RingBuffer.builder().name("unread").capacity(1 << 12).build();
        final RingBufferLifecycle lifecycle = new RingBufferLifecycle(() -> List.of(ring), Duration.ofSeconds(30));
        lifecycle.start();
        ring.output(new byte[8]);
        final long start = System.nanoTime();
        lifecycle.stop();
        assertThat(ring.isClosed()).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void itsPhaseIsBetweenTheDefaultPhaseAndTheWebServersGracefulShutdown() {
        assertThat(RingBufferLifecycle.PHASE).isLessThan(SmartLifecycle.DEFAULT_PHASE)
                .isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 1024);
    }

    @Configuration(proxyBeanMethods = false)
    static class Phases {

        static final int WRITTEN_AT_STOP = 3;

        static final class Seen {
            final Map<String, Boolean> atStop = new ConcurrentHashMap<>();
        }

        /** The ring's only consumer, on its own thread until the ring is closed and drained. */
        static final class Consumer implements SmartLifecycle {
            final RingBuffer ring;
            final CountDownLatch firstRead = new CountDownLatch(1);
            volatile long consumed;
            volatile Thread thread;
            private volatile boolean running;

            Consumer(RingBuffer ring) {
                this.ring = ring;
            }

            @Override
            public void start() {
                running = true;
                thread = new Thread(() -> {
                    while (!ring.isClosedAndDrained()) {
                        final int n = ring.consume(record -> { });
                        if (n > 0) {
                            consumed += n;
                            firstRead.countDown();
                        }
                        Thread.yield();
                    }
                });
                thread.setDaemon(true);
                thread.start();
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MIN_VALUE; // stops last: it is not what is under test
            }
        }

        @Bean
        Seen seen() {
            return new Seen();
        }

        @Bean
        Consumer consumer(@Qualifier("events") RingBuffer ring) {
            return new Consumer(ring);
        }

        @Bean
        SmartLifecycle producers(RingBuffer ring, Seen seen) {
            return new Recording(SmartLifecycle.DEFAULT_PHASE, () -> {
                seen.atStop.put("producers: ring closed", ring.isClosed());
                for (int i = 0; i < WRITTEN_AT_STOP; i++) {
                    ring.output(new byte[8]); // the producers' last records, written as they stop
                }
            });
        }

        @Bean
        SmartLifecycle webServer(RingBuffer ring, Seen seen) { // stands for WebServerGracefulShutdownLifecycle
            return new Recording(SmartLifecycle.DEFAULT_PHASE - 1024,
                    () -> seen.atStop.put("web server: ring closed and drained", ring.isClosedAndDrained()));
        }
    }

    /** A lifecycle bean at a phase that runs an action when it stops. */
    static final class Recording implements SmartLifecycle {
        private final int phase;
        private final Runnable atStop;
        private volatile boolean running;

        Recording(int phase, Runnable atStop) {
            this.phase = phase;
            this.atStop = atStop;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            atStop.run();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }
}
