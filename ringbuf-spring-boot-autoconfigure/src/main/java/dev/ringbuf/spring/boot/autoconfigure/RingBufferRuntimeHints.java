package dev.ringbuf.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a GraalVM native image of an application on the starter needs beyond what Spring's AOT processing finds by
 * itself: the endpoint's and health's JSON shapes (records serialized by reflection), the ring-file mode bound from
 * properties, the failure analyzers and the auto-configuration classes loaded by name from
 * {@code META-INF/spring.factories} and the imports file. Registered by {@link RingBufferAutoConfiguration}.
 */
class RingBufferRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (Class<?> json : new Class<?>[] { RingSnapshot.class, RingBufferEndpoint.RingsDescriptor.class }) {
            hints.reflection().registerType(json, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
                    MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS);
        }
        hints.reflection().registerType(RingFileMode.class, MemberCategory.INVOKE_PUBLIC_METHODS,
                MemberCategory.ACCESS_PUBLIC_FIELDS);
        for (Class<?> loadedByName : new Class<?>[] { RingBufferConfigurationFailureAnalyzer.class,
                RingFileFailureAnalyzer.class }) {
            hints.reflection().registerType(loadedByName, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        }
        hints.resources().registerPattern("META-INF/spring.factories");
        hints.reflection().registerType(RingBufferProperties.Ring.class,
                MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
}
