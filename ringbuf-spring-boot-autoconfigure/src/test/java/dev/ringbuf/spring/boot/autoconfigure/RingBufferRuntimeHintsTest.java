package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;

/** The native-image hints that {@link RingBufferAutoConfiguration} registers, checked as GraalVM would use them. */
class RingBufferRuntimeHintsTest {

    private final RuntimeHints hints = new RuntimeHints();

    RingBufferRuntimeHintsTest() {
        new RingBufferRuntimeHints().registerHints(hints, getClass().getClassLoader());
    }

    @Test
    void theAutoConfigurationImportsTheHints() {
        assertThat(RingBufferAutoConfiguration.class.getAnnotation(ImportRuntimeHints.class).value())
                .containsExactly(RingBufferRuntimeHints.class);
    }

    @Test
    void theEndpointsAnswersCanBeSerialized() {
        assertThat(RuntimeHintsPredicates.reflection().onType(RingSnapshot.class)
                .withMemberCategories(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(RingBufferEndpoint.RingsDescriptor.class)
                .withMemberCategories(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
    }

    @Test
    void theRingFileModeAndTheRingPropertiesCanBeBound() throws NoSuchMethodException {
        assertThat(RuntimeHintsPredicates.reflection().onType(RingFileMode.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
                .onMethodInvocation(RingBufferProperties.Ring.class.getMethod("setCapacity",
                        org.springframework.util.unit.DataSize.class))).accepts(hints);
    }

    @Test
    void theFailureAnalyzersCanBeLoadedFromSpringFactories() throws NoSuchMethodException {
        assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring.factories")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
                RingFileFailureAnalyzer.class.getConstructor())).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
                RingBufferConfigurationFailureAnalyzer.class.getConstructor())).accepts(hints);
    }

    @Test
    void nothingElseOfTheRingIsExposedToReflection() {
        assertThat(RuntimeHintsPredicates.reflection().onType(dev.ringbuf.core.RingBuffer.class)).rejects(hints);
    }
}
