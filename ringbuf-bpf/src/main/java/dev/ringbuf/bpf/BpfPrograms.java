package dev.ringbuf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The {@code bpf()} system call's program commands: load a program (with the verifier's log when it is refused),
 * load BTF for programs with callbacks, and run a program in the kernel with {@code BPF_PROG_TEST_RUN}. Descriptors
 * returned here belong to the caller: {@link Bpf#close(int)} them.
 *
 * <pre>{@code
 * int program = BpfPrograms.loadProgram(BpfPrograms.PROG_TYPE_SOCKET_FILTER, instructions, "GPL", "events");
 * BpfPrograms.testRun(program, packet, 1000);   // runs it 1000 times
 * }</pre>
 */
public final class BpfPrograms {

    /** {@code BPF_PROG_TYPE_SOCKET_FILTER}. */
    public static final int PROG_TYPE_SOCKET_FILTER = 1;

    static final int PROG_LOAD = 5;
    static final int PROG_TEST_RUN = 10;
    static final int BTF_LOAD = 18;
    /** The verifier log kept for a rejected program. */
    private static final int LOG_SIZE = 1 << 16;

    private BpfPrograms() {
    }

    /**
     * Loads a program ({@code BPF_PROG_LOAD}). When the verifier rejects it, the exception carries the verifier's log.
     *
     * @param type the program type ({@code PROG_TYPE_*})
     * @param instructions the program, 8 bytes per instruction, little-endian {@code struct bpf_insn}
     * @param license the license string ({@code "GPL"} for GPL-only helpers)
     * @param name the program's name, or empty
     * @return the program's file descriptor
     * @throws IllegalArgumentException if {@code instructions} is empty or not a multiple of 8 bytes
     * @throws BpfException if the kernel refuses it
     */
    public static int loadProgram(int type, byte[] instructions, String license, String name) {
        return loadProgram(type, instructions, license, name, -1, new byte[0]);
    }

    /**
     * Loads a program with BTF function info: what the verifier wants of a program with subprograms used as
     * callbacks (for example {@code bpf_user_ringbuf_drain}'s).
     *
     * @param type the program type ({@code PROG_TYPE_*})
     * @param instructions the program, 8 bytes per instruction
     * @param license the license string
     * @param name the program's name, or empty
     * @param btfFd a BTF object from {@link #loadBtf(byte[])}, or -1 for none
     * @param funcInfo {@code struct bpf_func_info} records ({@code u32 insn_off, u32 type_id}), one per subprogram
     * @return the program's file descriptor
     * @throws BpfException if the kernel refuses it (with the verifier's log)
     */
    public static int loadProgram(int type, byte[] instructions, String license, String name, int btfFd,
            byte[] funcInfo) {
        Objects.requireNonNull(instructions, "instructions must not be null");
        Objects.requireNonNull(funcInfo, "funcInfo must not be null");
        Objects.requireNonNull(license, "license must not be null");
        if (instructions.length == 0 || instructions.length % 8 != 0) {
            throw new IllegalArgumentException("a program of " + instructions.length + " bytes is not a whole number "
                    + "of 8-byte instructions (at least one)");
        }
        final byte[] nameBytes = Bpf.objectName(name);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment insns = arena.allocate(instructions.length, 8);
            MemorySegment.copy(instructions, 0, insns, JAVA_BYTE, 0, instructions.length);
            final MemorySegment licence = arena.allocateFrom(license);
            final MemorySegment log = arena.allocate(LOG_SIZE);
            final MemorySegment functions = arena.allocate(Math.max(8, funcInfo.length), 8);
            MemorySegment.copy(funcInfo, 0, functions, JAVA_BYTE, 0, funcInfo.length);
            Native.Result result = null;
            for (int logLevel = 0; logLevel <= 1; logLevel++) { // again with the verifier's log, only if it failed
                final MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
                attr.set(JAVA_INT, 0, type);
                attr.set(JAVA_INT, 4, instructions.length / 8);
                attr.set(JAVA_LONG, 8, insns.address());
                attr.set(JAVA_LONG, 16, licence.address());
                if (logLevel > 0) {
                    attr.set(JAVA_INT, 24, logLevel);
                    attr.set(JAVA_INT, 28, LOG_SIZE);
                    attr.set(JAVA_LONG, 32, log.address());
                }
                MemorySegment.copy(nameBytes, 0, attr, JAVA_BYTE, 48, nameBytes.length);
                if (btfFd >= 0) {
                    attr.set(JAVA_INT, 72, btfFd); // prog_btf_fd
                    attr.set(JAVA_INT, 76, 8); // func_info_rec_size
                    attr.set(JAVA_LONG, 80, functions.address());
                    attr.set(JAVA_INT, 88, funcInfo.length / 8); // func_info_cnt
                }
                result = Native.bpf(PROG_LOAD, attr, Bpf.ATTR_SIZE);
                if (result.value() >= 0) {
                    return (int) result.value();
                }
                if (result.errno() == Errno.EPERM || result.errno() == Errno.ENOSYS) {
                    break;
                }
            }
            final String verifier = log.getString(0).strip();
            final String meaning = BpfException.commonMeaning(result.errno());
            throw BpfException.failed("BPF_PROG_LOAD of a program of type " + type + " (" + instructions.length / 8
                    + " instructions)", result.errno(), verifier.isEmpty() ? meaning
                            : "the verifier said:\n" + verifier);
        }
    }

    /**
     * Loads BTF type information ({@code BPF_BTF_LOAD}), for {@link #loadProgram(int, byte[], String, String, int,
     * byte[])}.
     *
     * @param btf a BTF blob: header, types, strings
     * @return the BTF object's descriptor
     * @throws BpfException if the kernel refuses it (with its log)
     */
    public static int loadBtf(byte[] btf) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment blob = arena.allocate(btf.length, 8);
            MemorySegment.copy(btf, 0, blob, JAVA_BYTE, 0, btf.length);
            final MemorySegment log = arena.allocate(LOG_SIZE);
            final MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_LONG, 0, blob.address());
            attr.set(JAVA_LONG, 8, log.address());
            attr.set(JAVA_INT, 16, btf.length);
            attr.set(JAVA_INT, 20, LOG_SIZE);
            attr.set(JAVA_INT, 24, 1);
            final Native.Result result = Native.bpf(BTF_LOAD, attr, Bpf.ATTR_SIZE);
            if (result.value() < 0) {
                final String said = log.getString(0).strip();
                throw BpfException.failed("BPF_BTF_LOAD of " + btf.length + " bytes", result.errno(),
                        said.isEmpty() ? BpfException.commonMeaning(result.errno()) : "the kernel said:\n" + said);
            }
            return (int) result.value();
        }
    }

    /**
     * Runs a program in the kernel on {@code data} ({@code BPF_PROG_TEST_RUN}), {@code repeat} times in a row.
     *
     * @param programFd the program
     * @param data the input (for socket filters, a packet of at least 14 bytes)
     * @param repeat how many runs, at least 1
     * @return the last run's return value and the mean duration
     * @throws BpfException if the kernel refuses (a program type without test runs, input too short)
     */
    public static TestRun testRun(int programFd, byte[] data, int repeat) {
        Objects.requireNonNull(data, "data must not be null");
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat " + repeat + " must be at least 1");
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment in = arena.allocate(Math.max(1, data.length), 8);
            MemorySegment.copy(data, 0, in, JAVA_BYTE, 0, data.length);
            final MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, programFd);
            attr.set(JAVA_INT, 8, data.length);
            attr.set(JAVA_LONG, 16, in.address());
            attr.set(JAVA_INT, 32, repeat);
            final Native.Result result = Native.bpf(PROG_TEST_RUN, attr, Bpf.ATTR_SIZE);
            if (result.value() < 0) {
                throw BpfException.failed("BPF_PROG_TEST_RUN of program fd " + programFd + " on " + data.length
                        + " bytes, repeat " + repeat, result.errno(), BpfException.commonMeaning(result.errno()));
            }
            return new TestRun(attr.get(JAVA_INT, 4), attr.get(JAVA_INT, 36));
        }
    }

    /**
     * The result of {@link #testRun}.
     *
     * @param returnValue the program's return value (of the last run)
     * @param durationNanos the mean time of one run, in nanoseconds, as the kernel measured it
     */
    public record TestRun(int returnValue, int durationNanos) {
    }

}
