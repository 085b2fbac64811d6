package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Rings from {@code ringbuf.rings.<name>.*}: one bean per ring, by name, by qualifier, in a map; a user's bean wins. */
class RingBufferAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class));

    @Test
    void withoutPropertiesThereIsNoRingButTheLifecycleIsThere() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RingBuffer.class);
            assertThat(context).hasSingleBean(RingBufferLifecycle.class);
        });
    }

    @Test
    void capacityMakesOneRingNamedAfterItsKeyWithTheDefaultMaxRecordSize() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=1MB").run(context -> {
            assertThat(context).hasSingleBean(RingBuffer.class).hasBean("events");
            final RingBuffer ring = context.getBean("events", RingBuffer.class);
            assertThat(ring.name()).isEqualTo("events");
            assertThat(ring.capacity()).isEqualTo(1 << 20);
            assertThat(ring.maxRecordSize()).isEqualTo((1 << 20) / 4);
            assertThat(ring.file()).isEmpty();
            assertThat(ring.output(new byte[] {1, 2, 3})).isTrue();
        });
    }

    @Test
    void maxRecordSizeIsTheRingsLargestRecord() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=64KB", "ringbuf.rings.events.max-record-size=1KB")
                .run(context -> {
                    final RingBuffer ring = context.getBean(RingBuffer.class);
                    assertThat(ring.maxRecordSize()).isEqualTo(1024);
                    assertThat(ring.output(new byte[1024])).isTrue();
                });
    }

    @Test
    void ringsAreInjectableByQualifierAndAsAMapByName() {
        runner.withUserConfiguration(TwoRingUsers.class)
                .withPropertyValues("ringbuf.rings.clicks.capacity=4KB", "ringbuf.rings.audit.capacity=8KB")
                .run(context -> {
                    final TwoRingUsers.Users users = context.getBean(TwoRingUsers.Users.class);
                    assertThat(users.audit().name()).isEqualTo("audit");
                    assertThat(users.audit().capacity()).isEqualTo(8192);
                    assertThat(users.all()).containsOnlyKeys("clicks", "audit");
                    assertThat(users.all().get("clicks").capacity()).isEqualTo(4096);
                });
    }

    @Test
    void aUserBeanWithTheRingsNameWinsAndOtherRingsStay() {
        runner.withUserConfiguration(UserRing.class)
                .withPropertyValues("ringbuf.rings.events.capacity=1MB", "ringbuf.rings.other.capacity=4KB")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("events", RingBuffer.class).capacity()).isEqualTo(128);
                    assertThat(context.getBean("events", RingBuffer.class).name()).isEqualTo("mine");
                    assertThat(context.getBean("other", RingBuffer.class).capacity()).isEqualTo(4096);
                });
    }

    @Test
    void closingTheContextClosesTheRings() {
        final RingBuffer[] ring = new RingBuffer[1];
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB").run(context -> {
            ring[0] = context.getBean(RingBuffer.class);
            assertThat(ring[0].isClosed()).isFalse();
        });
        assertThat(ring[0].isClosed()).isTrue();
    }

    @Test
    void fileCreatesARingFileThatAnotherContextOpens(@TempDir Path dir) {
        final Path file = dir.resolve("events.ring");
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.file=" + file,
                "ringbuf.rings.events.file-mode=create").run(creator -> {
                    final RingBuffer created = creator.getBean(RingBuffer.class);
                    assertThat(Files.exists(file)).isTrue();
                    assertThat(created.file()).contains(file);
                    assertThat(created.name()).isEqualTo("events");
                    runner.withPropertyValues("ringbuf.rings.events.file=" + file,
                            "ringbuf.rings.events.file-mode=open").run(opener -> {
                                final RingBuffer opened = opener.getBean(RingBuffer.class);
                                assertThat(opened.capacity()).isEqualTo(4096); // from the file
                                assertThat(opened.output(new byte[] {42})).isTrue();
                                final byte[] got = new byte[1];
                                assertThat(created.consume((Record record) -> got[0] = record.getByte(0)))
                                        .isEqualTo(1);
                                assertThat(got[0]).isEqualTo((byte) 42);
                            });
                });
    }

    @Test
    void createOrOpenCreatesAMissingFileAndOpensAnExistingOne(@TempDir Path dir) {
        final Path file = dir.resolve("shared.ring");
        final String[] properties = {"ringbuf.rings.shared.capacity=4KB", "ringbuf.rings.shared.file=" + file};
        runner.withPropertyValues(properties).run(first -> {
            assertThat(first).hasNotFailed();
            assertThat(Files.exists(file)).isTrue();
            first.getBean(RingBuffer.class).output(new byte[8]);
            runner.withPropertyValues(properties).run(second -> {
                assertThat(second).hasNotFailed();
                assertThat(second.getBean(RingBuffer.class).producerPosition()).isEqualTo(16); // the same ring
            });
        });
    }

    @Test
    void createOrOpenAfterARestartReplacesTheRingWhoseStreamEnded(@TempDir Path dir) {
        final String[] properties = {"ringbuf.rings.shared.capacity=4KB",
            "ringbuf.rings.shared.file=" + dir.resolve("shared.ring")};
        runner.withPropertyValues(properties).run(first -> first.getBean(RingBuffer.class).output(new byte[8]));
        // the first run created the file and ended its stream when it closed
        runner.withPropertyValues(properties).run(second -> {
            final RingBuffer ring = second.getBean(RingBuffer.class);
            assertThat(ring.isClosed()).isFalse();
            assertThat(ring.producerPosition()).isZero(); // a new ring
            assertThat(ring.output(new byte[8])).isTrue();
        });
    }

    @Test
    void closingAContextThatOpenedAnotherProcesssRingFileOnlyDetachesIt(@TempDir Path dir) {
        final Path file = dir.resolve("owned.ring");
        runner.withPropertyValues("ringbuf.rings.owned.capacity=4KB", "ringbuf.rings.owned.file=" + file,
                "ringbuf.rings.owned.file-mode=create").run(owner -> {
                    final RingBuffer owned = owner.getBean(RingBuffer.class);
                    runner.withPropertyValues("ringbuf.rings.owned.file=" + file, "ringbuf.rings.owned.file-mode=open")
                            .run(producer -> assertThat(producer.getBean(RingBuffer.class).output(new byte[8]))
                                    .isTrue());
                    assertThat(owned.isClosed()).isFalse();
                    assertThat(owned.output(new byte[8])).isTrue();
                    assertThat(owned.consume(record -> { })).isEqualTo(2);
                });
    }

    @Test
    void stallTimeoutIsHowLongAFileRingsConsumerWaitsAtABusyRecord(@TempDir Path dir) {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB",
                "ringbuf.rings.events.file=" + dir.resolve("events.ring"),
                "ringbuf.rings.events.stall-timeout=150ms").run(context -> {
                    final RingBuffer ring = context.getBean(RingBuffer.class);
                    final Reservation stuck = ring.reserve(8); // never committed: its producer "died"
                    assertThat(stuck).isNotNull();
                    assertThat(ring.output(new byte[] {7})).isTrue();
                    final long deadline = System.nanoTime() + 5_000_000_000L; // far below the default 10s
                    int delivered = 0;
                    while (delivered == 0 && System.nanoTime() < deadline) {
                        delivered = ring.consume(record -> { });
                        Thread.onSpinWait();
                    }
                    assertThat(delivered).isEqualTo(1);
                    assertThat(ring.abandonedRecords()).isEqualTo(1);
                });
    }

    @Test
    void overwriteAndAnInProcessStallTimeoutAreOptIn() {
        runner.withPropertyValues("ringbuf.rings.plain.capacity=4KB", "ringbuf.rings.recorder.capacity=4KB",
                "ringbuf.rings.recorder.overwrite=true", "ringbuf.rings.guarded.capacity=4KB",
                "ringbuf.rings.guarded.stall-timeout=2s").run(context -> {
                    final java.util.Map<String, RingBuffer> rings = context.getBeansOfType(RingBuffer.class);
                    assertThat(rings.get("plain").isOverwrite()).isFalse();
                    assertThat(rings.get("plain").stallTimeout()).as("in process: never abandons unless set").isEmpty();
                    assertThat(rings.get("recorder").isOverwrite()).isTrue();
                    assertThat(rings.get("guarded").stallTimeout()).contains(java.time.Duration.ofSeconds(2));
                });
    }

    @Test
    void aRelativeFileIsRelativeToTheWorkingDirectory(@TempDir Path dir) {
        final Path absolute = dir.resolve("relative.ring");
        final Path relative = Path.of("").toAbsolutePath().relativize(absolute);
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.file=" + relative)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(Files.exists(absolute)).isTrue();
                });
    }

    @Test
    void ringsCanComeFromEnvironmentVariables() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of("RINGBUF_RINGS_EVENTS_CAPACITY", "4KB",
                        "RINGBUF_RINGS_EVENTS_MAXRECORDSIZE", "1KB"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("events", RingBuffer.class).capacity()).isEqualTo(4096);
                    assertThat(context.getBean("events", RingBuffer.class).maxRecordSize()).isEqualTo(1024);
                });
    }

    @Test
    void withoutRingbufCoreNothingIsConfigured() {
        runner.withClassLoader(new FilteredClassLoader(RingBuffer.class))
                .withPropertyValues("ringbuf.rings.events.capacity=1MB")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RingBufferLifecycle.class)
                        .doesNotHaveBean("events"));
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoRingUsers {

        record Users(RingBuffer audit, Map<String, RingBuffer> all) {
        }

        @Bean
        Users users(@Qualifier("audit") RingBuffer audit, Map<String, RingBuffer> all) {
            return new Users(audit, all);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRing {

        @Bean
        RingBuffer events() {
            return RingBuffer.builder().name("mine").capacity(128).build();
        }
    }
}
