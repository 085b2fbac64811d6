package dev.ringbuf.bpf;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine lets the tests use kernel ring buffers: Linux x86-64 and a {@code bpf()} that answers. Where it
 * refuses ({@code EPERM}, {@code ENOSYS}) or the platform differs, a test is skipped with a message saying so; on
 * the project's build machines (Linux 6.18, root) every test runs.
 */
final class KernelRings {

    private static volatile String unavailable;
    private static volatile boolean probed;

    private KernelRings() {
    }

    /** Skips the calling test, with the reason, where kernel ring buffers cannot be used. */
    static void assumeAvailable() {
        if (!probed) {
            unavailable = probe();
            probed = true;
            if (unavailable != null) {
                System.err.println("ringbuf-bpf tests SKIPPED: " + unavailable);
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
    }

    private static String probe() {
        try {
            Native.checkPlatform();
            Bpf.close(Bpf.createRingBuffer(4096, "rb_probe"));
            return null;
        } catch (UnsupportedOperationException e) {
            return e.getMessage();
        } catch (BpfException e) {
            if (e.bpfUnavailable()) {
                return "bpf() is refused here: " + e.getMessage();
            }
            throw e;
        }
    }
}
