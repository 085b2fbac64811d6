package dev.ringbuf.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring kinds every contract suite ({@link ContractSuite}) runs over: in process memory, in process memory with a
 * stall timeout (lap-tagged, checked headers: {@code LapTaggedHeaders}), and in a memory-mapped ring file. The
 * overwrite suites ({@link OverwriteModelTest}, {@link OverwriteStressTest}) add {@code overwrite(true)} to the
 * in-process and ring-file variants, which makes the two overwrite kinds: five kinds in all. (Named so as not to
 * clash with a main-code {@code RingMode}.)
 */
enum RingVariant {

    /** {@code RingBuffer.builder()...build()}: a ring in this process's memory. */
    IN_PROCESS {
        @Override
        RingBuffer create(RingBufferBuilder configured, Path file) {
            return configured.build();
        }

        /** Parked with the ring as blocker: past its last look at the header, it sleeps until unparked. */
        @Override
        boolean isWaitingIn(RingBuffer ring, Thread thread) {
            return LockSupport.getBlocker(thread) == ring && thread.getState() == Thread.State.TIMED_WAITING;
        }

        @Override
        String consumerGuardNames(RingBuffer ring) {
            return "ring '" + ring.name() + "'";
        }
    },

    /**
     * {@code RingBuffer.builder()...stallTimeout(10 s).build()}: in process, abandoning a record stuck for 10 s (never
     * reached by a contract test), with the ring file's header discipline.
     */
    IN_PROCESS_STALL_TIMEOUT {
        @Override
        RingBuffer create(RingBufferBuilder configured, Path file) {
            return configured.stallTimeout(java.time.Duration.ofSeconds(10)).build();
        }

        @Override
        boolean isWaitingIn(RingBuffer ring, Thread thread) {
            return IN_PROCESS.isWaitingIn(ring, thread);
        }

        @Override
        String consumerGuardNames(RingBuffer ring) {
            return IN_PROCESS.consumerGuardNames(ring);
        }
    },

    /** {@code RingBuffer.builder().file(path)...create()}: a ring file, created by this process. */
    RING_FILE {
        @Override
        RingBuffer create(RingBufferBuilder configured, Path file) throws IOException {
            return configured.file(file).create();
        }

        /**
         * Inside awaitData: its idle loop (spin, yield, park for 1 µs to 1 ms) looks at the header on every turn, and
         * its parks are too short to be sampled reliably under load.
         */
        @Override
        boolean isWaitingIn(RingBuffer ring, Thread thread) {
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (frame.getClassName().equals(RingBuffer.class.getName())
                        && frame.getMethodName().equals("awaitData")) {
                    return true;
                }
            }
            return false;
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

    /**
     * Whether {@code thread} is waiting in {@code ring.awaitData}, as far as this variant lets a test tell: a commit
     * from now on is one the waiting consumer must be woken for (or, in a ring file, find on its own).
     *
     * @param ring the ring
     * @param thread the consumer thread
     * @return {@code true} once it waits
     */
    abstract boolean isWaitingIn(RingBuffer ring, Thread thread);
}
