package dev.ringbuf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code bpf()} system call's commands this module needs, on raw file descriptors: create a map, load a
 * program, pin and get an object in bpffs, read a map's info, look up and update an element, and run a program with
 * {@code BPF_PROG_TEST_RUN}. Each builds the command's part of {@code union bpf_attr} (offsets from
 * {@code include/uapi/linux/bpf.h}) in zeroed memory and turns a failure into a {@link BpfException} that says what
 * it means. Descriptors returned here belong to the caller: {@link #close(int)} them.
 *
 * <pre>{@code
 * int map = Bpf.createRingBuffer(1 << 16, "events");
 * try (KernelRingBuffer ring = KernelRingBuffer.open(map)) {
 *     ring.consume(record -> handle(record));
 * } finally {
 *     Bpf.close(map);
 * }
 * }</pre>
 */
public final class Bpf {

    /**
     * {@code BPF_F_RB_OVERWRITE} (Linux 6.19): a ring buffer map flag for overwrite mode, where a full ring overwrites
     * its oldest records. Older kernels refuse it ({@code EINVAL}); {@link KernelRingBuffer} does not consume such
     * rings yet and says so.
     */
    public static final int MAP_F_RB_OVERWRITE = 1 << 19;
    /** {@code BPF_MAP_TYPE_ARRAY}. */
    public static final int MAP_TYPE_ARRAY = 2;
    /** {@code BPF_MAP_TYPE_RINGBUF} (Linux 5.8): the kernel produces, user space consumes. */
    public static final int MAP_TYPE_RINGBUF = 27;
    /** {@code BPF_MAP_TYPE_USER_RINGBUF} (Linux 6.1): user space produces, a BPF program drains. */
    public static final int MAP_TYPE_USER_RINGBUF = 31;

    static final int MAP_CREATE = 0;
    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int OBJ_PIN = 6;
    static final int OBJ_GET = 7;
    static final int OBJ_GET_INFO_BY_FD = 15;

    /** Bytes of {@code union bpf_attr} passed to every command: the fields used, then zeroes the kernel accepts. */
    static final int ATTR_SIZE = 128;
    /** {@code BPF_OBJ_NAME_LEN}: a name and its terminating zero. */
    static final int OBJ_NAME_LEN = 16;
    /** {@code sizeof(struct bpf_map_info)} as of Linux 5.16 (ends with {@code map_extra}). */
    static final int MAP_INFO_SIZE = 88;

    private Bpf() {
    }

    /**
     * Creates a {@code BPF_MAP_TYPE_RINGBUF} of {@code size} data bytes.
     *
     * @param size the data area: a power of two and a multiple of the page size (4096)
     * @param name the map's name (up to 15 letters, digits, '_' or '.'), or empty
     * @return the map's file descriptor
     * @throws IllegalArgumentException if {@code size} or {@code name} breaks its rule
     * @throws BpfException if the kernel refuses (no privilege, no BPF, a kernel before 5.8)
     */
    public static int createRingBuffer(int size, String name) {
        checkRingSize(size);
        return createMap(MAP_TYPE_RINGBUF, 0, 0, size, 0, name);
    }

    /**
     * Creates a map ({@code BPF_MAP_CREATE}).
     *
     * @param type the map type ({@code MAP_TYPE_*})
     * @param keySize bytes of a key
     * @param valueSize bytes of a value
     * @param maxEntries entries (the data size for ring buffers)
     * @param flags {@code map_flags}
     * @param name the map's name, or empty
     * @return the map's file descriptor
     * @throws BpfException if the kernel refuses
     */
    public static int createMap(int type, int keySize, int valueSize, int maxEntries, int flags, String name) {
        final byte[] nameBytes = objectName(name);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, type);
            attr.set(JAVA_INT, 4, keySize);
            attr.set(JAVA_INT, 8, valueSize);
            attr.set(JAVA_INT, 12, maxEntries);
            attr.set(JAVA_INT, 16, flags);
            MemorySegment.copy(nameBytes, 0, attr, JAVA_BYTE, 28, nameBytes.length);
            final Native.Result result = Native.bpf(MAP_CREATE, attr, ATTR_SIZE);
            if (result.value() < 0) {
                throw BpfException.failed("BPF_MAP_CREATE of a " + mapTypeName(type) + " of " + maxEntries
                        + (type == MAP_TYPE_RINGBUF || type == MAP_TYPE_USER_RINGBUF ? " bytes" : " entries"),
                        result.errno(), createMeaning(type, flags, result.errno()));
            }
            return (int) result.value();
        }
    }

    /**
     * Pins an object in a BPF file system ({@code BPF_OBJ_PIN}), where {@link #getPinned(Path)} finds it.
     *
     * @param fd the map's or program's descriptor
     * @param path a new path inside a mounted bpffs
     * @throws BpfException if the kernel refuses (not a bpffs, the path exists, no permission)
     */
    public static void pin(int fd, Path path) {
        objectCommand(OBJ_PIN, fd, path);
    }

    /**
     * Opens an object pinned in a BPF file system ({@code BPF_OBJ_GET}).
     *
     * @param path the pinned path
     * @return a new descriptor of the object
     * @throws BpfException if there is nothing pinned there or the caller may not open it
     */
    public static int getPinned(Path path) {
        return (int) objectCommand(OBJ_GET, 0, path);
    }

    private static long objectCommand(int command, int fd, Path path) {
        Objects.requireNonNull(path, "path must not be null");
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment pathname = arena.allocateFrom(path.toString());
            final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_LONG, 0, pathname.address());
            attr.set(JAVA_INT, 8, fd);
            final Native.Result result = Native.bpf(command, attr, ATTR_SIZE);
            if (result.value() < 0) {
                final String what = command == OBJ_PIN ? "BPF_OBJ_PIN of fd " + fd + " at " + path
                        : "BPF_OBJ_GET of " + path;
                throw BpfException.failed(what, result.errno(), switch (result.errno()) {
                    case Errno.ENOENT -> "nothing is pinned at that path (or a directory on it is missing)";
                    case Errno.EINVAL -> "the path is not inside a mounted BPF file system (mount -t bpf bpf "
                            + "/sys/fs/bpf) or names something that is not a BPF object";
                    case Errno.EACCES -> "the file's permissions do not let this process open it";
                    default -> BpfException.commonMeaning(result.errno());
                });
            }
            return result.value();
        }
    }

    /**
     * Reads a map's {@code struct bpf_map_info} ({@code BPF_OBJ_GET_INFO_BY_FD}), after checking in
     * {@code /proc/self/fdinfo} that {@code fd} is a BPF map at all.
     *
     * @param fd a descriptor
     * @return the map's info
     * @throws BpfException if {@code fd} is not open or is not a BPF map (a program, a socket, a file)
     */
    public static BpfMapInfo mapInfo(int fd) {
        Native.checkPlatform();
        FdKind.requireMap(fd);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment info = arena.allocate(MAP_INFO_SIZE, 8);
            final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, fd);
            attr.set(JAVA_INT, 4, MAP_INFO_SIZE);
            attr.set(JAVA_LONG, 8, info.address());
            final Native.Result result = Native.bpf(OBJ_GET_INFO_BY_FD, attr, ATTR_SIZE);
            if (result.value() < 0) {
                throw BpfException.failed("BPF_OBJ_GET_INFO_BY_FD of fd " + fd, result.errno(),
                        BpfException.commonMeaning(result.errno()));
            }
            final byte[] name = info.asSlice(24, OBJ_NAME_LEN).toArray(JAVA_BYTE);
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            return new BpfMapInfo(info.get(JAVA_INT, 0), info.get(JAVA_INT, 4), info.get(JAVA_INT, 8),
                    info.get(JAVA_INT, 12), info.get(JAVA_INT, 16), info.get(JAVA_INT, 20),
                    new String(name, 0, end, StandardCharsets.US_ASCII));
        }
    }

    /**
     * Reads an element of a map ({@code BPF_MAP_LOOKUP_ELEM}).
     *
     * @param mapFd the map
     * @param key the key, as many bytes as the map's key size
     * @param valueSize the map's value size
     * @return the value
     * @throws BpfException if there is no such element or the map has no lookup
     */
    public static byte[] lookup(int mapFd, byte[] key, int valueSize) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment k = arena.allocate(Math.max(1, key.length), 8);
            MemorySegment.copy(key, 0, k, JAVA_BYTE, 0, key.length);
            final MemorySegment v = arena.allocate(Math.max(1, valueSize), 8);
            final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, mapFd);
            attr.set(JAVA_LONG, 8, k.address());
            attr.set(JAVA_LONG, 16, v.address());
            final Native.Result result = Native.bpf(MAP_LOOKUP_ELEM, attr, ATTR_SIZE);
            if (result.value() < 0) {
                throw BpfException.failed("BPF_MAP_LOOKUP_ELEM in map fd " + mapFd, result.errno(),
                        BpfException.commonMeaning(result.errno()));
            }
            return v.asSlice(0, valueSize).toArray(JAVA_BYTE);
        }
    }

    /**
     * Closes a descriptor. Closing one that is not open throws; closing twice is a bug in the caller.
     *
     * @param fd the descriptor
     * @throws BpfException if {@code close} fails
     */
    public static void close(int fd) {
        final Native.Result result = Native.close(fd);
        if (result.value() < 0) {
            throw BpfException.failed("close of fd " + fd, result.errno(), "");
        }
    }

    /** Checks a ring buffer's data size: what the kernel's ringbuf map checks, said before it is asked. */
    static void checkRingSize(int size) {
        if (size < 4096 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring buffer size " + size + " must be a power of two and a multiple "
                    + "of the page size (4096)");
        }
        if (size > KernelRingBuffer.MAX_CAPACITY) {
            throw new IllegalArgumentException("ring buffer size " + size + " is over " + KernelRingBuffer.MAX_CAPACITY
                    + ", the largest whose double mapping a ByteBuffer view can index");
        }
    }

    /** A name as the kernel wants it: up to 15 ASCII letters, digits, '_' or '.', zero terminated. */
    static byte[] objectName(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.length() >= OBJ_NAME_LEN || !name.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '_' || c == '.'))) {
            throw new IllegalArgumentException("name '" + name + "' must be at most " + (OBJ_NAME_LEN - 1)
                    + " ASCII letters, digits, '_' or '.'");
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    static String mapTypeName(int type) {
        return switch (type) {
            case MAP_TYPE_ARRAY -> "BPF_MAP_TYPE_ARRAY";
            case MAP_TYPE_RINGBUF -> "BPF_MAP_TYPE_RINGBUF";
            case MAP_TYPE_USER_RINGBUF -> "BPF_MAP_TYPE_USER_RINGBUF";
            default -> "map of type " + type;
        };
    }

    private static String createMeaning(int type, int flags, int errno) {
        if (errno == Errno.EINVAL && type == MAP_TYPE_RINGBUF && (flags & MAP_F_RB_OVERWRITE) != 0) {
            return "overwrite mode (BPF_F_RB_OVERWRITE) needs Linux 6.19 or newer; this kernel is "
                    + System.getProperty("os.version");
        }
        if (errno == Errno.EINVAL && type == MAP_TYPE_RINGBUF) {
            return "the kernel does not know BPF_MAP_TYPE_RINGBUF (it needs Linux 5.8 or newer) or refused a flag";
        }
        if (errno == Errno.EINVAL && type == MAP_TYPE_USER_RINGBUF) {
            return "the kernel does not know BPF_MAP_TYPE_USER_RINGBUF (it needs Linux 6.1 or newer) or refused a "
                    + "flag";
        }
        return BpfException.commonMeaning(errno);
    }
}
