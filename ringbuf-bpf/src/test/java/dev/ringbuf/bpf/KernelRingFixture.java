package dev.ringbuf.bpf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the kernel-ring tests share: a fresh kernel ring buffer and the test programs' counters map per test (the
 * test is skipped where {@code bpf()} is refused), and a program the test may load into {@link #program}; all three
 * are closed after the test.
 */
abstract class KernelRingFixture {

    private final int capacity;
    private final String name;

    /** The kernel ring of this test. */
    KernelRingBuffer ring;
    /** The test programs' counters map, or -1. */
    int counters = -1;
    /** The program the test loaded, or -1. */
    int program = -1;

    KernelRingFixture(int capacity, String name) {
        this.capacity = capacity;
        this.name = name;
    }

    @BeforeEach
    final void openKernelRing() {
        KernelRings.assumeAvailable();
        ring = KernelRingBuffer.create(capacity, name);
        counters = TestPrograms.counters();
    }

    @AfterEach
    final void closeKernelRing() {
        if (program >= 0) {
            Bpf.close(program);
        }
        if (counters >= 0) {
            Bpf.close(counters);
        }
        if (ring != null) {
            ring.close();
        }
    }
}
