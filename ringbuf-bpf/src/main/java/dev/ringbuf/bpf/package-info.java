/**
 * The Linux kernel's own BPF ring buffers from plain Java (Java 22+, Linux x86-64): the {@code bpf()},
 * {@code mmap()} and {@code epoll} system calls through the foreign function and memory API, no JNI and no libbpf.
 *
 * <p>{@link dev.ringbuf.bpf.KernelRingBuffer} consumes a {@code BPF_MAP_TYPE_RINGBUF} that BPF programs output into,
 * with the core's {@link dev.ringbuf.core.RingConsumer} API and zero-copy {@link dev.ringbuf.core.Record} views;
 * {@link dev.ringbuf.bpf.KernelUserRingBuffer} produces into a {@code BPF_MAP_TYPE_USER_RINGBUF} that a program
 * drains. {@link dev.ringbuf.bpf.Bpf} (maps: create, pin and get, info, lookup) and
 * {@link dev.ringbuf.bpf.BpfPrograms} (load, BTF, test runs) hold the {@code bpf()} commands. Requirements,
 * privileges and the memory layout shared with the kernel: {@code docs/kernel-rings.md}.
 *
 * <pre>{@code
 * try (KernelRingBuffer ring = KernelRingBuffer.openPinned(Path.of("/sys/fs/bpf/events"))) {
 *     ring.consume(record -> System.out.println(record.getLong(0)));
 * }
 * }</pre>
 */
@NullMarked
package dev.ringbuf.bpf;

import org.jspecify.annotations.NullMarked;
