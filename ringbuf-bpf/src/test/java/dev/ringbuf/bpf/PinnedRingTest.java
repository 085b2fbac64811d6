package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ring buffer pinned in a BPF file system and opened by its path ({@code BPF_OBJ_GET}), as an agent's consumer
 * opens the map a loader pinned. The test mounts a private bpffs on a temporary directory (root only) and unmounts
 * it afterwards.
 */
class PinnedRingTest {

    @TempDir
    Path dir;
    private boolean mounted;

    @BeforeEach
    void mountBpffs() throws Exception {
        KernelRings.assumeAvailable();
        mounted = run("mount", "-t", "bpf", "bpf", dir.toString());
        Assumptions.assumeTrue(mounted, () -> "skipped: cannot mount a BPF file system on " + dir
                + " (mount -t bpf needs root)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            assertThat(run("umount", dir.toString())).as("umount " + dir).isTrue();
        }
    }

    @Test
    void aPinnedRingIsConsumedThroughItsPathAndOutlivesItsCreatorsDescriptor() {
        final Path pin = dir.resolve("events");
        final int map = Bpf.createRingBuffer(4096, "rb_pinned");
        final int counters = TestPrograms.counters();
        final int program = TestPrograms.sequenceOutput(map, counters, 0);
        try {
            Bpf.pin(map, pin);
            Bpf.close(map); // the pin and the program keep the map
            BpfPrograms.testRun(program, TestPrograms.packet(64), 3);

            try (KernelRingBuffer ring = KernelRingBuffer.openPinned(pin)) {
                assertThat(ring.info().name()).isEqualTo("rb_pinned");
                assertThat(ring.capacity()).isEqualTo(4096);
                assertThat(ring.consume(record -> { })).isEqualTo(3);
            }
            try (KernelRingBuffer again = KernelRingBuffer.openPinned(pin)) {
                assertThat(again.consumerPosition()).as("the consumer position lives in the map").isEqualTo(72);
            }
        } finally {
            Bpf.close(program);
            Bpf.close(counters);
        }
    }

    @Test
    void pinningTwiceAtOnePathIsRefusedClearly() {
        final int map = Bpf.createRingBuffer(4096, "rb_pin_twice");
        try {
            Bpf.pin(map, dir.resolve("twice"));
            assertThatThrownBy(() -> Bpf.pin(map, dir.resolve("twice"))).isInstanceOf(BpfException.class)
                    .hasMessageStartingWith("BPF_OBJ_PIN of fd " + map + " at " + dir.resolve("twice")
                            + " failed: errno 17");
        } finally {
            Bpf.close(map);
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.err);
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
