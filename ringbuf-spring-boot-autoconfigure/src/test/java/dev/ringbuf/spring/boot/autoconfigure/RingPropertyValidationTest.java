package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A bad value fails startup, with a message that names the property and the rule. */
class RingPropertyValidationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class));

    private void assertInvalid(String property, String rule, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            final InvalidConfigurationPropertyValueException invalid = find(context.getStartupFailure(),
                    InvalidConfigurationPropertyValueException.class);
            assertThat(invalid.getName()).isEqualTo(property);
            assertThat(invalid).hasMessageContaining(property).hasMessageContaining(rule);
        });
    }

    /** The first exception of {@code type} in {@code failure}'s chain of causes. */
    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the failure", failure);
    }

    @Test
    void aCapacityThatIsNotAPowerOfTwo() {
        assertInvalid("ringbuf.rings.events.capacity", "power of two", "ringbuf.rings.events.capacity=1000B");
    }

    @Test
    void aCapacityOutOfRange() {
        assertInvalid("ringbuf.rings.events.capacity", "from 64B to 1GB", "ringbuf.rings.events.capacity=32B");
        assertInvalid("ringbuf.rings.events.capacity", "from 64B to 1GB", "ringbuf.rings.events.capacity=2GB");
    }

    @Test
    void aMissingCapacity() {
        assertInvalid("ringbuf.rings.events.capacity", "capacity is required",
                "ringbuf.rings.events.max-record-size=1KB");
    }

    @Test
    void aMaxRecordSizeAboveCapacityMinus16() {
        assertInvalid("ringbuf.rings.events.max-record-size", "capacity - 16 bytes (4080)",
                "ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.max-record-size=4081B");
    }

    @Test
    void aStallTimeoutBelowTheFloor() {
        assertInvalid("ringbuf.rings.events.stall-timeout", "must be at least 100ms",
                "ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.stall-timeout=0s");
        assertInvalid("ringbuf.rings.events.stall-timeout", "must be at least 100ms",
                "ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.stall-timeout=50ms");
    }

    @Test
    void anInProcessOverwriteRingWithAStallTimeout() {
        assertInvalid("ringbuf.rings.events.stall-timeout", "does not abandon stuck reservations",
                "ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.overwrite=true",
                "ringbuf.rings.events.stall-timeout=1s");
    }

    @Test
    void aFileModeWithoutAFile() {
        assertInvalid("ringbuf.rings.events.file-mode", "set ringbuf.rings.events.file",
                "ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.file-mode=open");
    }

    @Test
    void aNegativeDrainTimeout() {
        assertInvalid("ringbuf.shutdown.drain-timeout", "zero or positive", "ringbuf.shutdown.drain-timeout=-1s");
    }

    @Test
    void aValueThatIsNotASizeNamesTheProperty() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=lots").run(context -> {
            assertThat(context).hasFailed();
            assertThat(find(context.getStartupFailure(), BindException.class))
                    .hasMessageContaining("ringbuf.rings.events.capacity");
        });
    }

    @Test
    void aMistypedPropertyFailsInsteadOfBeingIgnored() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.max-recrod-size=1KB")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(find(context.getStartupFailure(), BindException.class))
                            .hasStackTraceContaining("ringbuf.rings.events.max-recrod-size");
                });
    }

    @Test
    void createFailsOnAnExistingFileNamingThePropertyAndTheFile(@TempDir Path dir) throws Exception {
        final Path file = Files.createFile(dir.resolve("stale.ring"));
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.file=" + file,
                "ringbuf.rings.events.file-mode=create").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("ringbuf.rings.events.file=" + file)
                            .hasStackTraceContaining("FileAlreadyExistsException");
                });
    }

    @Test
    void openFailsOnAMissingFileNamingThePropertyAndTheFile(@TempDir Path dir) {
        final Path file = dir.resolve("missing.ring");
        runner.withPropertyValues("ringbuf.rings.events.file=" + file, "ringbuf.rings.events.file-mode=open")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("ringbuf.rings.events.file=" + file)
                            .hasStackTraceContaining("NoSuchFileException");
                });
    }
}
