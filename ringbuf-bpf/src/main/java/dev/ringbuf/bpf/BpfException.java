package dev.ringbuf.bpf;

/**
 * A {@code bpf()}, {@code mmap()} or {@code epoll} call failed, or a file descriptor is not what it must be. The
 * message says what was being done, the kernel's answer ({@code errno} by name and text) and what is missing, for
 * example:
 *
 * <pre>
 * BPF_MAP_CREATE of a BPF_MAP_TYPE_RINGBUF of 65536 bytes failed: EPERM (Operation not permitted): the bpf() system
 * call needs CAP_BPF (or CAP_SYS_ADMIN), or kernel.unprivileged_bpf_disabled=0 ...
 * </pre>
 *
 * Nothing is left half-open when one is thrown: whatever the failed operation had opened or mapped is closed.
 */
public class BpfException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * A failure with no {@code errno} (a descriptor of the wrong kind, a layout the kernel should not produce).
     *
     * @param message what failed and why
     */
    public BpfException(String message) {
        super(message);
        this.errno = 0;
    }

    /**
     * A failed call.
     *
     * @param message what failed and why
     * @param errno the kernel's {@code errno}
     */
    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /**
     * The kernel's {@code errno} for a failed call.
     *
     * @return the {@code errno}, 0 when the failure was found by this library rather than returned by the kernel
     */
    public int errno() {
        return errno;
    }

    /**
     * Whether the failure means BPF cannot be used here at all: no privilege ({@code EPERM}) or no {@code bpf()}
     * system call ({@code ENOSYS}). Callers that can run without kernel rings (tests among them) turn this into a
     * skip. {@code EACCES} is not among them: it is how the verifier refuses a program, and how a file's
     * permissions refuse a pinned object.
     *
     * @return {@code true} for a missing privilege or a kernel without BPF
     */
    public boolean bpfUnavailable() {
        return errno == Errno.EPERM || errno == Errno.ENOSYS;
    }

    /** A failed call's exception: {@code what} failed, the kernel's answer, and {@code meaning} (may be empty). */
    static BpfException failed(String what, int errno, String meaning) {
        return new BpfException(what + " failed: " + Errno.name(errno) + " (" + Native.strerror(errno) + ")"
                + (meaning.isEmpty() ? "" : ": " + meaning), errno);
    }

    /** What a failed {@code bpf()} command's {@code errno} usually means, beside what the caller knows. */
    static String commonMeaning(int errno) {
        return switch (errno) {
            case Errno.EPERM -> "the bpf() system call needs CAP_BPF (or CAP_SYS_ADMIN); without it, "
                    + "sysctl kernel.unprivileged_bpf_disabled must be 0, and even then most map and program types "
                    + "stay privileged; in a container, the seccomp profile must allow bpf()";
            case Errno.ENOSYS -> "this kernel has no bpf() system call (built without CONFIG_BPF_SYSCALL)";
            case Errno.ENOMEM -> "the kernel could not allocate or lock the memory (check RLIMIT_MEMLOCK on kernels "
                    + "before 5.11, and the memory cgroup limit)";
            default -> "";
        };
    }
}
