package dev.ringbuf.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a file descriptor is, from {@code /proc/self/fdinfo/N}: the kernel lists {@code map_type:} for a BPF map and
 * {@code prog_type:} for a program. {@code BPF_OBJ_GET_INFO_BY_FD} alone cannot tell, since it answers a program's
 * descriptor with a program's info.
 */
final class FdKind {

    /** {@code BPF_F_NUMA_NODE}: the one flag a ring buffer could have before Linux 6.19. */
    private static final int BPF_F_NUMA_NODE = 1 << 2;

    private FdKind() {
    }

    /**
     * Throws unless {@code fd} is an open BPF map.
     *
     * @throws BpfException naming what {@code fd} is instead
     */
    static void requireMap(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd + " is not a file descriptor (negative)");
        }
        final String fdinfo;
        try {
            fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        } catch (NoSuchFileException e) {
            throw new BpfException("fd " + fd + " is not open in this process", Errno.EBADF);
        } catch (IOException e) {
            throw new BpfException("cannot read /proc/self/fdinfo/" + fd + " to check that it is a BPF map: " + e);
        }
        if (fdinfo.contains("\nmap_type:")) {
            return;
        }
        if (fdinfo.contains("\nprog_type:")) {
            throw new BpfException("fd " + fd + " is a BPF program, not a BPF map");
        }
        throw new BpfException("fd " + fd + " is not a BPF map (" + describe(fd) + ")");
    }

    /** What the descriptor points at, as {@code /proc/self/fd} shows it. */
    private static String describe(int fd) {
        try {
            return "it is " + Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown kind";
        }
    }

    /**
     * Throws unless {@code info} describes a {@code BPF_MAP_TYPE_RINGBUF} this consumer can read.
     *
     * @throws BpfException naming the map's type, or the flags or size it cannot handle
     */
    static void requireRingBuffer(int fd, BpfMapInfo info) {
        if (info.type() == Bpf.MAP_TYPE_USER_RINGBUF) {
            throw new BpfException("fd " + fd + " ('" + info.name() + "') is a BPF_MAP_TYPE_USER_RINGBUF, which user "
                    + "space produces into; a consumer needs a BPF_MAP_TYPE_RINGBUF");
        }
        if (info.type() != Bpf.MAP_TYPE_RINGBUF) {
            throw new BpfException("fd " + fd + " ('" + info.name() + "') is a " + Bpf.mapTypeName(info.type())
                    + ", not a BPF_MAP_TYPE_RINGBUF");
        }
        if ((info.flags() & Bpf.MAP_F_RB_OVERWRITE) != 0) {
            throw new BpfException("ring buffer fd " + fd + " ('" + info.name() + "') is in overwrite mode "
                    + "(BPF_F_RB_OVERWRITE, Linux 6.19), which this consumer does not support yet");
        }
        if ((info.flags() & ~BPF_F_NUMA_NODE) != 0) {
            throw new BpfException("ring buffer fd " + fd + " has map flags 0x" + Integer.toHexString(info.flags())
                    + " this consumer does not know (overwrite mode, BPF_F_RB_OVERWRITE of Linux 6.19, is not "
                    + "supported yet)");
        }
        if (info.maxEntries() > KernelRingBuffer.MAX_CAPACITY) {
            throw new BpfException("ring buffer fd " + fd + " has " + info.maxEntries() + " bytes, over "
                    + KernelRingBuffer.MAX_CAPACITY + ", the largest whose double mapping a ByteBuffer view can index");
        }
    }
}
