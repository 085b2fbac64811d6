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
}
