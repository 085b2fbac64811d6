package dev.ringbuf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A UDP socket on 127.0.0.1 with a BPF socket filter attached ({@code SO_ATTACH_BPF}): the kernel runs the program
 * on every datagram that reaches the socket, before it is queued. Made with the C library because Java's sockets
 * do not expose their descriptor. The socket is never read: a filter that returns 0 drops each datagram after it
 * has seen it, which is what an event source wants.
 *
 * <pre>{@code
 * try (FilteredUdpSocket socket = FilteredUdpSocket.open(program)) {
 *     sender.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), socket.port()));
 * }
 * }</pre>
 */
public final class FilteredUdpSocket implements AutoCloseable {

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;
    private static final int SOCKADDR_IN_SIZE = 16;

    private final int fd;
    private final int port;

    private FilteredUdpSocket(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /**
     * Opens a UDP socket bound to 127.0.0.1 on an ephemeral port, filtered by {@code programFd}.
     *
     * @param programFd a loaded {@code BPF_PROG_TYPE_SOCKET_FILTER} program
     * @return the socket
     * @throws BpfException if a socket call fails (the attach names the program)
     */
    public static FilteredUdpSocket open(int programFd) {
        final Native.Result socket = Native.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC);
        if (socket.value() < 0) {
            throw BpfException.failed("socket(AF_INET, SOCK_DGRAM)", socket.errno(), "");
        }
        final int fd = (int) socket.value();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment program = arena.allocate(JAVA_INT);
            program.set(JAVA_INT, 0, programFd);
            check(Native.setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, program), "setsockopt(SO_ATTACH_BPF) of "
                    + "program fd " + programFd);
            final MemorySegment address = arena.allocate(SOCKADDR_IN_SIZE, 4);
            address.set(JAVA_SHORT, 0, (short) AF_INET);
            address.set(JAVA_BYTE, 4, (byte) 127); // sin_addr 127.0.0.1 in network order; sin_port 0: any
            address.set(JAVA_BYTE, 7, (byte) 1);
            check(Native.bind(fd, address), "bind to 127.0.0.1");
            final MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SOCKADDR_IN_SIZE);
            check(Native.getsockname(fd, address, length), "getsockname");
            final int port = ((address.get(JAVA_BYTE, 2) & 0xff) << 8) | (address.get(JAVA_BYTE, 3) & 0xff);
            return new FilteredUdpSocket(fd, port);
        } catch (RuntimeException | Error e) {
            Native.close(fd);
            throw e;
        }
    }

    private static void check(Native.Result result, String what) {
        if (result.value() < 0) {
            throw BpfException.failed(what, result.errno(), BpfException.commonMeaning(result.errno()));
        }
    }

    /** @return the port the socket is bound to on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** Closes the socket; the filter goes with it. */
    @Override
    public void close() {
        Native.close(fd);
    }
}
