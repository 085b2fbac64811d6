package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * What fails startup, and how Spring Boot reports it: a ring named like another bean, two rings with one name, a ring
 * file that cannot be created or opened; {@code ringbuf.enabled=false}; {@link RingBufferBuilderCustomizer}s.
 */
class RingBufferStartupChecksTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class));

    /** The analysis Spring Boot would print, by the analyzers it loads from spring.factories. */
    private static FailureAnalysis analyze(Throwable failure) {
        // Spring Boot's own analyzers need a bean factory (they get it at startup): only ringbuf's are loaded here.
        final List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }));
        return analyzers.stream().filter(analyzer -> analyzer.getClass().getName().startsWith("dev.ringbuf"))
                .map(analyzer -> analyzer.analyze(failure)).filter(analysis -> analysis != null).findFirst()
                .orElseThrow(() -> new AssertionError("no ringbuf analyzer for " + failure));
    }

    @Test
    void aRingNamedLikeAnotherBeanFailsStartupAndSaysWhatToRename() {
        runner.withBean("feedController", FeedController.class, FeedController::new)
                .withPropertyValues("ringbuf.rings.feedController.capacity=64KB").run(context -> {
                    assertThat(context).hasFailed();
                    final FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("The ring 'feedController'",
                            "ringbuf.rings.feedController.*", "a bean of that name is already defined",
                            FeedController.class.getName());
                    assertThat(analysis.getAction()).contains("rename the ring", "or rename the other bean");
                });
    }

    @Test
    void twoRingsWithOneNameFailStartupNamingTheBeans() {
        runner.withBean("clicks", RingBuffer.class, () -> RingBuffer.allocate(128))
                .withBean("audit", RingBuffer.class, () -> RingBuffer.allocate(128)).run(context -> {
                    assertThat(context).hasFailed();
                    final FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("[clicks, audit]", "'ringbuf'",
                            "built without .name(..)", "share one series");
                    assertThat(analysis.getAction()).contains("RingBuffer.builder().name(\"audit\")");
                });
    }

    @Test
    void aPropertyRingNamedLikeAnApplicationRingFailsToo() {
        runner.withBean("mine", RingBuffer.class, () -> RingBuffer.builder().name("events").capacity(128).build())
                .withPropertyValues("ringbuf.rings.events.capacity=4KB")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("[mine, events]", "'events'"));
    }

    @Test
    void aRingFileThatIsThereFailsCreateWithAnAnalysis(@TempDir Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("notes.txt"), "not a ring");
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.file=" + file,
                "ringbuf.rings.events.file-mode=create").run(context -> {
                    assertThat(context).hasFailed();
                    final FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("The ring 'events' could not create its ring file "
                            + file, "ringbuf.rings.events.file, file-mode CREATE");
                    assertThat(analysis.getAction()).contains("ringbuf.rings.events.file-mode=open");
                });
    }

    @Test
    void aMissingRingFileFailsOpenWithAnAnalysis(@TempDir Path dir) {
        final Path file = dir.resolve("missing.ring");
        runner.withPropertyValues("ringbuf.rings.events.file=" + file, "ringbuf.rings.events.file-mode=open")
                .run(context -> {
                    final FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("could not open its ring file " + file);
                    assertThat(analysis.getAction()).contains("start the process that creates the ring first",
                            "file-mode=create-or-open");
                });
    }

    @Test
    void aFileThatIsNotARingFileFailsOpenWithItsReason(@TempDir Path dir) throws IOException {
        final Path file = Files.write(dir.resolve("junk.ring"), new byte[8192]);
        runner.withPropertyValues("ringbuf.rings.events.file=" + file, "ringbuf.rings.events.file-mode=open")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getAction())
                        .contains("is not a ring file of this version"));
    }

    @Test
    void ringbufEnabledFalseTurnsEverythingOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class,
                        RingBufferHealthAutoConfiguration.class, RingBufferMetricsAutoConfiguration.class,
                        RingBufferEndpointAutoConfiguration.class))
                .withPropertyValues("ringbuf.enabled=false", "ringbuf.rings.events.capacity=4KB")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RingBuffer.class)
                        .doesNotHaveBean(RingBufferLifecycle.class).doesNotHaveBean(RingFanOutLifecycle.class)
                        .doesNotHaveBean(RingBufferMeterBinder.class).doesNotHaveBean(RingBufferEndpoint.class)
                        .doesNotHaveBean("ringbufHealthContributor"));
        runner.withPropertyValues("ringbuf.enabled=true", "ringbuf.rings.events.capacity=4KB")
                .run(context -> assertThat(context).hasSingleBean(RingBuffer.class));
    }

    @Test
    void customizersAdjustEveryPropertyRingInOrderAfterItsProperties() {
        runner.withUserConfiguration(Customizers.class)
                .withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.events.max-record-size=1KB",
                        "ringbuf.rings.audit.capacity=1KB")
                .run(context -> {
                    assertThat(context.getBean("events", RingBuffer.class).maxRecordSize()).isEqualTo(512);
                    assertThat(context.getBean("audit", RingBuffer.class).maxRecordSize()).isEqualTo(256);
                    assertThat(context.getBean(Customizers.class).seen).containsExactly("first:events",
                            "second:events", "first:audit", "second:audit");
                });
    }

    /** An application's bean, which a ring must not be named after. */
    static class FeedController {
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        RingBufferBuilderCustomizer second() {
            return (name, builder) -> {
                seen.add("second:" + name);
                if (name.equals("events")) {
                    builder.maxRecordSize(512); // overrides max-record-size=1KB
                }
            };
        }

        @Bean
        @Order(1)
        RingBufferBuilderCustomizer first() {
            return (name, builder) -> {
                seen.add("first:" + name);
                builder.maxRecordSize(256).stallTimeout(Duration.ofSeconds(1));
            };
        }
    }
}
