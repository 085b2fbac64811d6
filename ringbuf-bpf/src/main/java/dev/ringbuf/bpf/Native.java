package dev.ringbuf.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The C library calls this module makes, as foreign function downcalls, each capturing {@code errno}: the
 * {@code bpf()} system call (through {@code syscall(2)}, glibc has no wrapper), {@code mmap}/{@code munmap},
 * {@code close}, {@code epoll_*}, {@code eventfd} and the socket calls a socket filter needs. Linux on x86-64 only:
 * the system call number and the packed {@code struct epoll_event} are that ABI's; {@link #checkPlatform()} refuses anything else with a clear message.
 *
 * <p>Every call returns the raw result; a negative one is turned into a {@link BpfException} by the caller, which
 * knows what it was doing.
 */
final class Native {

    /** {@code __NR_bpf} on x86-64. */
    static final long SYS_BPF = 321;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 1;
    static final int EPOLLOUT = 4;
    static final int EPOLLET = 1 << 31;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    /** {@code sizeof(struct epoll_event)} on x86-64, where it is packed: {@code u32 events; u64 data}. */
    static final int EPOLL_EVENT_SIZE = 12;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * The downcall handles, made on first use: only after {@link #checkPlatform()} passed, so that another platform
     * gets its clear message rather than an error from initialising this class.
     */
    private static final class Handles {
        private static final MethodHandle SYSCALL;
        private static final MethodHandle MMAP;
        private static final MethodHandle MUNMAP;
        private static final MethodHandle CLOSE;
        private static final MethodHandle EPOLL_CREATE1;
        private static final MethodHandle EPOLL_CTL;
        private static final MethodHandle EPOLL_WAIT;
        private static final MethodHandle EVENTFD;
        private static final MethodHandle WRITE;
        private static final MethodHandle STRERROR;
        private static final MethodHandle SOCKET;
        private static final MethodHandle SETSOCKOPT;
        private static final MethodHandle BIND;
        private static final MethodHandle GETSOCKNAME;

        static {
            final Linker linker = Linker.nativeLinker();
            final SymbolLookup libc = linker.defaultLookup();
            final Linker.Option errno = Linker.Option.captureCallState("errno");
            SYSCALL = linker.downcallHandle(libc.find("syscall").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1), errno);
            MMAP = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
            MUNMAP = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), errno);
            CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT),
                    errno);
            EPOLL_CREATE1 = linker.downcallHandle(libc.find("epoll_create1").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            EPOLL_CTL = linker.downcallHandle(libc.find("epoll_ctl").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), errno);
            EPOLL_WAIT = linker.downcallHandle(libc.find("epoll_wait").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
            EVENTFD = linker.downcallHandle(libc.find("eventfd").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
            WRITE = linker.downcallHandle(libc.find("write").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
            SOCKET = linker.downcallHandle(libc.find("socket").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
            SETSOCKOPT = linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            BIND = linker.downcallHandle(libc.find("bind").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            GETSOCKNAME = linker.downcallHandle(libc.find("getsockname").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
            STRERROR = linker.downcallHandle(libc.find("strerror").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
        }
    }

    private Native() {
    }

    /**
     * Throws unless this JVM runs on Linux x86-64, the one ABI this module speaks.
     *
     * @throws UnsupportedOperationException naming the OS and architecture found
     */
    static void checkPlatform() {
        final String os = System.getProperty("os.name", "");
        final String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException("kernel ring buffers need Linux on x86-64 (the bpf() system call "
                    + "number and struct layouts this module uses are that ABI's); this JVM runs on " + os + " "
                    + arch);
        }
    }

    /** A call's result and the {@code errno} it left. */
    record Result(long value, int errno) {
    }

    static Result bpf(int command, MemorySegment attr, long size) {
        checkPlatform();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final long value = (long) Handles.SYSCALL.invokeExact(state, SYS_BPF, (long) command, attr, size);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result mmap(long length, int protection, int fd, long offset) {
        checkPlatform();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final MemorySegment address = (MemorySegment) Handles.MMAP.invokeExact(state, MemorySegment.NULL, length,
                    protection, MAP_SHARED, fd, offset);
            final long value = address.address();
            return new Result(value, errno(state, value)); // MAP_FAILED is (void *) -1
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int value = (int) Handles.MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result close(int fd) {
        return intCall(Handles.CLOSE, fd);
    }

    static Result epollCreate() {
        checkPlatform();
        return intCall(Handles.EPOLL_CREATE1, EPOLL_CLOEXEC);
    }

    static Result eventfd() {
        checkPlatform();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int value = (int) Handles.EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Adds {@code fd} to the epoll set for {@code events}, with {@code fd} as its data. */
    static Result epollAdd(int epollFd, int fd, int events) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final MemorySegment event = arena.allocate(EPOLL_EVENT_SIZE, 8);
            event.set(JAVA_INT, 0, events);
            event.set(JAVA_INT.withByteAlignment(1), 4, fd);
            final int value = (int) Handles.EPOLL_CTL.invokeExact(state, epollFd, EPOLL_CTL_ADD, fd, event);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for input on the set; the result counts the ready descriptors. */
    static Result epollWait(int epollFd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final MemorySegment events = arena.allocate(4L * EPOLL_EVENT_SIZE, 8);
            final int value = (int) Handles.EPOLL_WAIT.invokeExact(state, epollFd, events, 4, timeoutMillis);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Adds 1 to an eventfd's counter (makes it readable). */
    static Result signal(int eventFd) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            final long value = (long) Handles.WRITE.invokeExact(state, eventFd, one, 8L);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result socket(int domain, int type) {
        checkPlatform();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int value = (int) Handles.SOCKET.invokeExact(state, domain, type, 0);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result setsockopt(int fd, int level, int option, MemorySegment value) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int size = (int) value.byteSize();
            final int result = (int) Handles.SETSOCKOPT.invokeExact(state, fd, level, option, value, size);
            return new Result(result, errno(state, result));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result bind(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int result = (int) Handles.BIND.invokeExact(state, fd, address, (int) address.byteSize());
            return new Result(result, errno(state, result));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Fills {@code address} with the socket's bound address; {@code length} holds its size in and out. */
    static Result getsockname(int fd, MemorySegment address, MemorySegment length) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int result = (int) Handles.GETSOCKNAME.invokeExact(state, fd, address, length);
            return new Result(result, errno(state, result));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The C library's text for an {@code errno}. */
    static String strerror(int errno) {
        try {
            final MemorySegment text = (MemorySegment) Handles.STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static Result intCall(MethodHandle handle, int argument) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CAPTURE);
            final int value = (int) handle.invokeExact(state, argument);
            return new Result(value, errno(state, value));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code errno} is only meaningful after a failed call (result -1). */
    private static int errno(MemorySegment state, long value) {
        return value == -1 ? (int) ERRNO.get(state, 0L) : 0;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("foreign call failed", t);
    }
}
