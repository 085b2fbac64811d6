package dev.ringbuf.test;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingBufferBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a JUnit Jupiter test method its rings: each {@code RingBuffer} parameter gets a new in-process ring, made as
 * its {@link TestRing} says. After the test every such ring is closed, and the test fails if a ring dropped records
 * and its {@code @TestRing} did not {@link TestRing#allowDrops() allow} it, naming the ring and the drops by reason
 * (a test that passed would otherwise hide records lost on the way).
 *
 * <pre>{@code
 * @ExtendWith(RingBufferExtension.class)
 * class EmitterTest {
 *     @Test
 *     void writesOneRecordPerEvent(@TestRing(capacity = 1024, name = "events") RingBuffer ring) { ... }
 * }
 * }</pre>
 */
public class RingBufferExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            RingBufferExtension.class);

    /** The extension (JUnit instantiates it). */
    public RingBufferExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RingBuffer.class
                && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        final TestRing settings = parameter.findAnnotation(TestRing.class).orElse(null);
        final String name = name(parameter, settings);
        final RingBuffer ring;
        try {
            final RingBufferBuilder builder = RingBuffer.builder().name(name)
                    .capacity(settings == null ? TestRing.DEFAULT_CAPACITY : settings.capacity());
            if (settings != null && settings.maxRecordSize() >= 0) {
                builder.maxRecordSize(settings.maxRecordSize());
            }
            ring = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterResolutionException("@TestRing of parameter '" + parameter.getParameter().getName()
                    + "': " + e.getMessage(), e);
        }
        rings(context).add(new Made(ring, settings != null && settings.allowDrops()));
        return ring;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        final List<Made> made = rings(context);
        final List<String> unexpected = new ArrayList<>();
        for (Made ring : made) {
            if (!ring.allowDrops()) {
                try {
                    RingDrops.assertNone(ring.ring()); // before the close, which later writes would count as drops
                } catch (AssertionError dropped) {
                    unexpected.add(dropped.getMessage());
                }
            }
            ring.ring().close();
        }
        made.clear();
        if (!unexpected.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError(String.join("; ", unexpected) + " (@TestRing(allowDrops = true) allows drops; "
                    + "RingDrops asserts them)");
        }
    }

    private static String name(ParameterContext parameter, @Nullable TestRing settings) {
        if (settings != null && !settings.name().isEmpty()) {
            return settings.name();
        }
        final Parameter declared = parameter.getParameter();
        return declared.isNamePresent() ? declared.getName() : "ring" + parameter.getIndex();
    }

    @SuppressWarnings("unchecked")
    private static List<Made> rings(ExtensionContext context) {
        return (List<Made>) context.getStore(NAMESPACE).getOrComputeIfAbsent("rings", key -> new ArrayList<Made>(),
                List.class);
    }

    /** A ring this extension made, and whether its test allows it to drop. */
    private record Made(RingBuffer ring, boolean allowDrops) {
    }
}
