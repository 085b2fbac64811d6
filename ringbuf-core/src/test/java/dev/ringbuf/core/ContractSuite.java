package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Base of the core contract suites: each runs once per {@link RingVariant} (like JCTools' {@code QueueSanityTest} over
 * every queue), so that what SPEC promises is checked on a ring in process memory and on a ring file alike. A suite
 * builds its rings with {@link #ring(int)} or {@link #ring(RingBufferBuilder)}; they are closed after each test, and
 * ring files live in a temporary directory deleted after it. Behaviour that legitimately differs between the variants
 * is tested in {@code InProcessOnlyTest} and {@code shm.RingFileOnlyTest}, never here; where only the wording of a
 * message or the way a test can see a waiting consumer differs, a shared test asks {@link RingVariant}.
 *
 * <p>Surefire names the invocations by index, in {@link RingVariant} order: {@code OrderingTest[1]} is
 * {@link RingVariant#IN_PROCESS}, {@code [2]} {@link RingVariant#IN_PROCESS_STALL_TIMEOUT}, {@code [3]}
 * {@link RingVariant#RING_FILE}; a failure also carries a suppressed note naming its variant.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RingVariant.class)
abstract class ContractSuite {

    /** Adds the variant to every failure, since Surefire reports an invocation by its index only. */
    @RegisterExtension
    static final TestExecutionExceptionHandler NAME_THE_VARIANT = (context, failure) -> {
        RingVariant variant = ((ContractSuite) context.getRequiredTestInstance()).variant;
        failure.addSuppressed(new VariantNote("failed over " + variant + " (" + context.getDisplayName() + ")"));
        throw failure;
    };

    /** The variant this invocation of the suite runs over. */
    @Parameter
    RingVariant variant;

    @TempDir
    Path directory;

    private final List<RingBuffer> rings = new ArrayList<>();

    /** A ring of {@code capacity} bytes with the default maxRecordSize and name, in this suite's variant. */
    final RingBuffer ring(int capacity) {
        return ring(RingBuffer.builder().capacity(capacity));
    }

    /** The ring {@code configured} describes (capacity, maxRecordSize, name), in this suite's variant. */
    final RingBuffer ring(RingBufferBuilder configured) {
        try {
            RingBuffer ring = variant.create(configured, directory.resolve("ring-" + rings.size()));
            rings.add(ring);
            assertThat(ring.file().isPresent()).as("%s builds a ring file", variant)
                    .isEqualTo(variant == RingVariant.RING_FILE);
            return ring;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) until {@code thread} waits in {@code ring.awaitData}: see {@link RingVariant#isWaitingIn}. */
    final void awaitWaitingIn(RingBuffer ring, Thread thread) {
        TestSupport.awaitCondition(thread.getName() + " waits in awaitData of " + ring + " (" + variant + ")",
                () -> variant.isWaitingIn(ring, thread));
    }

    @AfterEach
    final void closeRings() {
        for (RingBuffer ring : rings) {
            ring.setWakeupListener(null); // a ring file's doorbell watcher thread ends with its listener
            ring.close();
        }
    }

    /** The note {@link #NAME_THE_VARIANT} attaches: a message, no stack trace. */
    private static final class VariantNote extends Exception {
        private static final long serialVersionUID = 1L;

        VariantNote(String message) {
            super(message, null, false, false);
        }
    }
}
