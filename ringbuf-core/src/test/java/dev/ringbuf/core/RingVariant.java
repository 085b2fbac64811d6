package dev.ringbuf.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The two ways to hold a ring, over which every contract suite ({@link ContractSuite}) runs: in process memory, and in
 * a memory-mapped ring file. (Named so as not to clash with a main-code {@code RingMode}.)
 */
enum RingVariant {

    /** {@code RingBuffer.builder()...build()}: a ring in this process's memory. */
    IN_PROCESS {
        @Override
        RingBuffer create(RingBufferBuilder configured, Path file) {
            return configured.build();
        }

        @Override
        String consumerGuardNames(RingBuffer ring) {
            return "ring '" + ring.name() + "'";
        }
    },

    /** {@code RingBuffer.builder().file(path)...create()}: a ring file, created by this process. */
    RING_FILE {
        @Override
        RingBuffer create(RingBufferBuilder configured, Path file) throws IOException {
            return configured.file(file).create();
        }

        @Override
        String consumerGuardNames(RingBuffer ring) {
            return "ring file " + ring.file().orElseThrow();
        }
    };

    /**
     * Builds the ring {@code configured} describes (capacity, maxRecordSize, name) in this variant.
     *
     * @param configured a builder with everything but the variant set
     * @param file where a ring file goes (unused in process memory); must not exist
     * @return the new, empty ring
     * @throws IOException if the ring file cannot be created
     */
    abstract RingBuffer create(RingBufferBuilder configured, Path file) throws IOException;

    /**
     * How the second-consumer rejection names the ring: an in-process ring by its name, a ring file by its path (the
     * guard lives in the file, shared by processes that may each name the ring differently).
     *
     * @param ring a ring of this variant
     * @return the text the message contains
     */
    abstract String consumerGuardNames(RingBuffer ring);
}
