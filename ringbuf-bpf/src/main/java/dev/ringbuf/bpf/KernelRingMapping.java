package dev.ringbuf.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A {@code BPF_MAP_TYPE_RINGBUF} mapped into this process exactly as libbpf maps it, and every memory-ordered access
 * to it (prefixes as in the core's {@code RingRegion}: {@code la} acquire load, {@code sr} release store):
 *
 * <pre>
 *  map offset 0           consumer page, PROT_READ|PROT_WRITE: u64 consumer_pos at 0 (written by user space only)
 *  map offset page        producer page, PROT_READ: u64 producer_pos at 0 (written by the kernel)
 *  map offset 2 pages     data, PROT_READ: capacity bytes, mapped twice in a row so that a record that wraps is
 *                         contiguous; a record of payload S at position p: header at (p &amp; (C - 1)),
 *                         u32 len (bit 31 busy, bit 30 discard) then u32 page offset, payload at +8,
 *                         rec(S) = roundUp(S + 8, 8)
 * </pre>
 *
 * A {@code BPF_MAP_TYPE_USER_RINGBUF} has the same layout with the directions swapped ({@link #mapUserRing}):
 * user space writes the producer position and the records, the kernel the consumer position.
 *
 * <p>The mappings belong to a shared arena: after {@link #close()} every access throws {@link IllegalStateException}
 * instead of touching unmapped memory, and the arena's cleanup unmaps them. The read-only mappings are read-only
 * segments too, so a write attempt throws rather than faulting.
 */
final class KernelRingMapping implements AutoCloseable {

    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    /** {@code BPF_RINGBUF_BUSY_BIT}: reserved, not yet submitted. */
    static final int BUSY_BIT = 1 << 31;
    /** {@code BPF_RINGBUF_DISCARD_BIT}: discarded; skipped. */
    static final int DISCARD_BIT = 1 << 30;
    /** {@code BPF_RINGBUF_HDR_SZ}. */
    static final int HEADER_SIZE = 8;
    /** The page size of x86-64, where the kernel lays the ring out in 4 KiB pages. */
    static final int PAGE_SIZE = 4096;

    private final Arena arena;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    final int capacity;
    final int mask;

    private KernelRingMapping(Arena arena, MemorySegment consumerPage, MemorySegment producer, int capacity) {
        this.arena = arena;
        this.consumerPage = consumerPage;
        this.producerPage = producer.asSlice(0, PAGE_SIZE);
        this.data = producer.asSlice(PAGE_SIZE, 2L * capacity);
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /**
     * Maps the ring buffer of {@code fd}, whose data area is {@code capacity} bytes, as its consumer: consumer page
     * read-write, producer page and data read-only.
     *
     * @throws BpfException if a mapping fails; nothing stays mapped then
     */
    static KernelRingMapping map(int fd, int capacity) {
        return map(fd, capacity, false);
    }

    /**
     * Maps a {@code BPF_MAP_TYPE_USER_RINGBUF} as its producer (libbpf's {@code user_ringbuf_map}): consumer page
     * read-only (the kernel advances it; it refuses a writable mapping), producer page and data read-write.
     */
    static KernelRingMapping mapUserRing(int fd, int capacity) {
        return map(fd, capacity, true);
    }

    private static KernelRingMapping map(int fd, int capacity, boolean producer) {
        final Arena arena = Arena.ofShared();
        try {
            final int read = Native.PROT_READ;
            final int readWrite = Native.PROT_READ | Native.PROT_WRITE;
            MemorySegment consumer = mapInto(arena, fd, PAGE_SIZE, producer ? read : readWrite, 0,
                    producer ? "the consumer page (read-only)" : "the consumer page (read-write)");
            MemorySegment rest = mapInto(arena, fd, PAGE_SIZE + 2L * capacity, producer ? readWrite : read,
                    PAGE_SIZE, producer ? "the producer page and the twice-mapped data (read-write)"
                            : "the producer page and the twice-mapped data (read-only)");
            // What this side may not write is a read-only segment: a write attempt throws instead of faulting.
            if (producer) {
                consumer = consumer.asReadOnly();
            } else {
                rest = rest.asReadOnly();
            }
            return new KernelRingMapping(arena, consumer, rest, capacity);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment mapInto(Arena arena, int fd, long length, int protection, long offset, String what) {
        final Native.Result result = Native.mmap(length, protection, fd, offset);
        if (result.value() == -1) {
            throw BpfException.failed("mmap of " + what + " of ring buffer fd " + fd, result.errno(),
                    switch (result.errno()) {
                        case Errno.EPERM, Errno.EACCES -> "the descriptor was opened read-only (BPF_F_RDONLY), or "
                                + "the map was frozen; a consumer writes its position into the consumer page";
                        case Errno.EINVAL -> "the map cannot be mapped like this: is it a BPF_MAP_TYPE_RINGBUF?";
                        default -> BpfException.commonMeaning(result.errno());
                    });
        }
        final long address = result.value();
        // Unmapped when the arena closes, after which no segment of it can be read.
        return MemorySegment.ofAddress(address).reinterpret(length, arena, ignored -> Native.munmap(address, length));
    }

    /** The data area, twice: a {@code ByteBuffer} view of {@code 2 * capacity} bytes for record views. */
    ByteBuffer dataBuffer() {
        return data.asByteBuffer();
    }

    long laProducerPosition() {
        return (long) LONG.getAcquire(producerPage, 0L);
    }

    long laConsumerPosition() {
        return (long) LONG.getAcquire(consumerPage, 0L);
    }

    /**
     * Publishes the consumer position (libbpf's {@code smp_store_release}): pairs with the kernel's acquire of it in
     * {@code __bpf_ringbuf_reserve}, so the kernel reuses the space only after the reads of its records.
     */
    void srConsumerPosition(long position) {
        LONG.setRelease(consumerPage, 0L, position);
    }

    /**
     * The length word of the header at {@code offset} (libbpf's {@code smp_load_acquire}): pairs with the kernel's
     * {@code xchg} in {@code bpf_ringbuf_commit}, so the payload the program wrote is visible once the busy bit is
     * seen clear.
     */
    int laLength(int offset) {
        return (int) INT.getAcquire(data, (long) offset);
    }

    // ------------------------------------------------------------------------ user ring (this side produces)

    /**
     * Publishes the producer position of a user ring: pairs with the kernel's {@code smp_load_acquire} of it in
     * {@code __bpf_user_ringbuf_peek}, so the busy header written before is seen with it.
     */
    void srProducerPosition(long position) {
        LONG.setRelease(producerPage, 0L, position);
    }

    /** Writes a whole header (busy length and zero page offset) before the position that covers it is published. */
    void spHeader(int offset, long header) {
        data.set(JAVA_LONG, offset, header);
    }

    /**
     * Commits or discards a user-ring record by storing its final length word: pairs with the kernel's
     * {@code smp_load_acquire} of the header in {@code __bpf_user_ringbuf_peek}, so the payload written before is
     * visible to the draining program once it sees the busy bit clear.
     */
    void srLength(int offset, int length) {
        INT.setRelease(data, (long) offset, length);
    }

    /** The data area, writable (user ring only): payload writes at {@code (position & mask) + 8 + index}. */
    MemorySegment data() {
        return data;
    }

    /** {@code rec(S)}: the bytes of a record whose length word is {@code length}, flags cleared. */
    static long recordLength(int length) {
        final int payload = length & ~(BUSY_BIT | DISCARD_BIT);
        return (payload + HEADER_SIZE + 7L) & ~7L;
    }

    @Override
    public void close() {
        arena.close();
    }
}
