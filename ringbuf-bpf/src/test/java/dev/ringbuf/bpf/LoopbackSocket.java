package dev.ringbuf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * A UDP socket on 127.0.0.1 made with the C library (Java's sockets do not expose their descriptor), with a BPF
 * socket filter attached ({@code SO_ATTACH_BPF}): the kernel runs the program on every datagram that reaches it.
 */
final class LoopbackSocket implements AutoCloseable {

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;
    private static final int SOCKADDR_IN_SIZE = 16;

    private static final MethodHandle SOCKET;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle BIND;
    private static final MethodHandle GETSOCKNAME;

    static {
        final Linker linker = Linker.nativeLinker();
        final SymbolLookup libc = linker.defaultLookup();
        SOCKET = linker.downcallHandle(libc.find("socket").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        SETSOCKOPT = linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        BIND = linker.downcallHandle(libc.find("bind").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        GETSOCKNAME = linker.downcallHandle(libc.find("getsockname").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private final int fd;
    private final int port;

    private LoopbackSocket(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /** A socket bound to 127.0.0.1 on an ephemeral port, filtered by {@code programFd}. */
    static LoopbackSocket filteredBy(int programFd) throws Throwable {
        final int fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket() failed");
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment program = arena.allocate(JAVA_INT);
            program.set(JAVA_INT, 0, programFd);
            if ((int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_ATTACH_BPF, program, 4) != 0) {
                throw new IllegalStateException("setsockopt(SO_ATTACH_BPF) failed");
            }
            final MemorySegment address = arena.allocate(SOCKADDR_IN_SIZE, 4);
            address.set(JAVA_SHORT, 0, (short) AF_INET);
            address.set(JAVA_BYTE, 4, (byte) 127); // sin_addr 127.0.0.1, network order; port 0: any
            address.set(JAVA_BYTE, 7, (byte) 1);
            if ((int) BIND.invokeExact(fd, address, SOCKADDR_IN_SIZE) != 0) {
                throw new IllegalStateException("bind() failed");
            }
            final MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SOCKADDR_IN_SIZE);
            if ((int) GETSOCKNAME.invokeExact(fd, address, length) != 0) {
                throw new IllegalStateException("getsockname() failed");
            }
            final int port = ((address.get(JAVA_BYTE, 2) & 0xff) << 8) | (address.get(JAVA_BYTE, 3) & 0xff);
            return new LoopbackSocket(fd, port);
        } catch (Throwable t) {
            Native.close(fd);
            throw t;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        Native.close(fd);
    }
}
