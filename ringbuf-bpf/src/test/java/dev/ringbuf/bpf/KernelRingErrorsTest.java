package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way to open the wrong thing: a clear exception that names it, and nothing left open or crashed. */
class KernelRingErrorsTest {

    @BeforeEach
    void available() {
        KernelRings.assumeAvailable();
    }

    @Test
    void anArrayMapIsNotARingBuffer() {
        final int array = TestPrograms.counters();
        try {
            assertThatThrownBy(() -> KernelRingBuffer.open(array)).isInstanceOf(BpfException.class)
                    .hasMessage("fd " + array + " ('packet_counts') is a BPF_MAP_TYPE_ARRAY, not a "
                            + "BPF_MAP_TYPE_RINGBUF");
        } finally {
            Bpf.close(array);
        }
    }

    @Test
    void aUserRingBufferIsRefusedByTheConsumer() {
        final int user = Bpf.createMap(Bpf.MAP_TYPE_USER_RINGBUF, 0, 0, 4096, 0, "rb_user");
        try {
            assertThatThrownBy(() -> KernelRingBuffer.open(user)).isInstanceOf(BpfException.class)
                    .hasMessageContaining("is a BPF_MAP_TYPE_USER_RINGBUF, which user space produces into");
        } finally {
            Bpf.close(user);
        }
    }

    @Test
    void aProgramIsNotAMap() {
        final int ring = Bpf.createRingBuffer(4096, "rb_errors");
        final int program = TestPrograms.reserveSubmitOrDiscard(ring);
        try {
            assertThatThrownBy(() -> KernelRingBuffer.open(program)).isInstanceOf(BpfException.class)
                    .hasMessage("fd " + program + " is a BPF program, not a BPF map");
        } finally {
            Bpf.close(program);
            Bpf.close(ring);
        }
    }

    @Test
    void aDescriptorThatIsNoBpfObjectIsNamed() {
        final Native.Result epoll = Native.epollCreate();
        final int fd = (int) epoll.value();
        try {
            assertThatThrownBy(() -> KernelRingBuffer.open(fd)).isInstanceOf(BpfException.class)
                    .hasMessageStartingWith("fd " + fd + " is not a BPF map (it is anon_inode:[eventpoll])");
        } finally {
            Bpf.close(fd);
        }
    }

    @Test
    void aClosedDescriptorIsNamed() {
        final int fd = Bpf.createRingBuffer(4096, "rb_closed");
        Bpf.close(fd);
        assertThatThrownBy(() -> KernelRingBuffer.open(fd)).isInstanceOf(BpfException.class)
                .hasMessage("fd " + fd + " is not open in this process")
                .extracting(e -> ((BpfException) e).errno()).isEqualTo(Errno.EBADF);
        assertThatThrownBy(() -> KernelRingBuffer.open(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fd -1");
    }

    @Test
    void nothingPinnedAtAPathIsNamed(@TempDir Path dir) {
        final Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> KernelRingBuffer.openPinned(missing)).isInstanceOf(BpfException.class)
                .hasMessageStartingWith("BPF_OBJ_GET of " + missing + " failed: ENOENT")
                .hasMessageContaining("nothing is pinned at that path");
    }

    @Test
    void sizesAndNamesAreCheckedBeforeTheKernelIsAsked() {
        assertThatThrownBy(() -> KernelRingBuffer.create(6000, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ring buffer size 6000 must be a power of two and a multiple of the page size (4096)");
        assertThatThrownBy(() -> KernelRingBuffer.create(2048, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 2048");
        assertThatThrownBy(() -> KernelRingBuffer.create(1 << 30, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over " + KernelRingBuffer.MAX_CAPACITY);
        assertThatThrownBy(() -> KernelRingBuffer.create(4096, "a name far too long"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 15 ASCII letters");
    }

    @Test
    void theVerifiersRefusalCarriesItsLog() {
        final byte[] exitWithoutReturnValue = new BpfAssembler().exit().assemble();
        assertThatThrownBy(() -> BpfPrograms.loadProgram(BpfPrograms.PROG_TYPE_SOCKET_FILTER, exitWithoutReturnValue,
                "GPL", "bad"))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("BPF_PROG_LOAD of a program of type 1 (1 instructions) failed: EACCES")
                .hasMessageContaining("the verifier said:")
                .hasMessageContaining("R0 !read_ok")
                .matches(e -> !((BpfException) e).bpfUnavailable(), "a refusal, not a missing privilege");
    }

    @Test
    void aSocketFilterThatIsNoProgramIsRefusedWithTheSocketCall() {
        final int map = Bpf.createRingBuffer(4096, "rb_not_program");
        try {
            assertThatThrownBy(() -> FilteredUdpSocket.open(map)).isInstanceOf(BpfException.class)
                    .hasMessageStartingWith("setsockopt(SO_ATTACH_BPF) of program fd " + map + " failed: EINVAL");
        } finally {
            Bpf.close(map);
        }
    }

    @Test
    void overwriteModeRingsAreRefusedByTheConsumerAndNeedLinux619() {
        final int fd;
        try {
            fd = Bpf.createMap(Bpf.MAP_TYPE_RINGBUF, 0, 0, 4096, Bpf.MAP_F_RB_OVERWRITE, "rb_overwrite");
        } catch (BpfException olderKernel) {
            assertThat(olderKernel).hasMessageContaining("failed: EINVAL")
                    .hasMessageContaining("overwrite mode (BPF_F_RB_OVERWRITE) needs Linux 6.19 or newer");
            Assumptions.abort("skipped: overwrite-mode kernel rings need Linux 6.19; this kernel is "
                    + System.getProperty("os.version") + " and refused the flag as expected");
            return;
        }
        try {
            assertThatThrownBy(() -> KernelRingBuffer.open(fd)).isInstanceOf(BpfException.class)
                    .hasMessageContaining("is in overwrite mode (BPF_F_RB_OVERWRITE, Linux 6.19), which this consumer "
                            + "does not support yet");
        } finally {
            Bpf.close(fd);
        }
    }

    @Test
    void otherPlatformsAreRefusedWithTheirName() {
        final String arch = System.getProperty("os.arch");
        try {
            System.setProperty("os.arch", "aarch64");
            assertThatThrownBy(Native::checkPlatform).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("need Linux on x86-64").hasMessageEndingWith("aarch64");
            assertThatThrownBy(() -> KernelRingBuffer.open(0)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("need Linux on x86-64");
            assertThatThrownBy(() -> KernelRingBuffer.create(4096, "x"))
                    .isInstanceOf(UnsupportedOperationException.class);
        } finally {
            System.setProperty("os.arch", arch);
        }
        Native.checkPlatform();
    }

    @Test
    void whatAnErrnoMeansIsSaid() {
        final BpfException denied = BpfException.failed("BPF_MAP_CREATE of x", Errno.EPERM,
                BpfException.commonMeaning(Errno.EPERM));
        assertThat(denied).hasMessageStartingWith("BPF_MAP_CREATE of x failed: EPERM (Operation not permitted): ")
                .hasMessageContaining("CAP_BPF");
        assertThat(denied.bpfUnavailable()).isTrue();
        assertThat(BpfException.failed("bpf", Errno.ENOSYS, BpfException.commonMeaning(Errno.ENOSYS)))
                .hasMessageContaining("CONFIG_BPF_SYSCALL");
    }
}
