package dev.ringbuf.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and allocates a {@link RingBuffer} in direct (off-heap) memory.
 *
 * <pre>{@code
 * RingBuffer ring = RingBuffer.builder()
 *         .name("events")          // default "ringbuf"; the metrics' ring tag
 *         .capacity(1 << 20)       // required: a power of two, 64 bytes to 1 GiB
 *         .maxRecordSize(16 << 10) // default capacity / 4; at most capacity - 16
 *         .build();
 * }</pre>
 *
 * The ring uses one region of {@code 4096 + capacity + roundUp(maxRecordSize + 8, 8)} bytes: a metadata page, the
 * data area and the tail extension that keeps every record contiguous.
 *
 * <p>With {@link #file(Path)} the region is a memory-mapped file shared by producers and a consumer in several
 * processes ({@code docs/shared-memory.md}):
 *
 * <pre>{@code
 * // the consumer's process (or whoever comes first)
 * RingBuffer ring = RingBuffer.builder().file(Path.of("/dev/shm/events.ring")).capacity(1 << 20).create();
 * // each producer's process
 * RingBuffer ring = RingBuffer.builder().file(Path.of("/dev/shm/events.ring")).open();
 * }</pre>
 */
public final class RingBufferBuilder {

    /** The name of a ring built without {@link #name(String)}. */
    public static final String DEFAULT_NAME = "ringbuf";

    private String name = DEFAULT_NAME;
    private long capacity = -1;
    private int maxRecordSize = -1;
    private boolean named;
    private Path file;
    private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
    private boolean stallTimeoutSet;
    private boolean overwrite;

    /**
     * How long a ring file's consumer waits at a record that stays busy before abandoning it: 10 seconds. Choose it
     * well above the longest pause a live producer can take between reserve and commit (GC, safepoints, swapping).
     */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The shortest stall timeout a ring file accepts: 100 milliseconds. It is far above what a running producer
     * needs between reserve and commit and above ordinary scheduling and safepoint pauses, so that it abandons only
     * producers that died or were stopped; producers with longer pauses (full GCs of large heaps) need a longer
     * timeout ({@code docs/shared-memory.md}).
     */
    public static final Duration MIN_STALL_TIMEOUT = Duration.ofMillis(100);

    RingBufferBuilder() {
    }

    /**
     * The ring's name, for messages and the {@code ring} metric tag.
     *
     * @param name non-empty
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public RingBufferBuilder name(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        this.name = name;
        this.named = true;
        return this;
    }

    /**
     * Bytes of the data area.
     *
     * @param capacity a power of two from 64 to 2^30
     * @return this builder
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     */
    public RingBufferBuilder capacity(long capacity) {
        RingLayout.checkCapacity(capacity);
        this.capacity = capacity;
        return this;
    }

    /**
     * The largest payload of one record (default {@code capacity / 4}). It sets the size of the tail extension.
     *
     * @param maxRecordSize 0 to {@code capacity - 16}
     * @return this builder
     * @throws IllegalArgumentException if negative (the upper bound is checked by {@link #build()})
     */
    public RingBufferBuilder maxRecordSize(int maxRecordSize) {
        if (maxRecordSize < 0) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + " must not be negative");
        }
        this.maxRecordSize = maxRecordSize;
        return this;
    }

    /**
     * Places the ring in a memory-mapped file, shared with other processes, instead of process memory: then call
     * {@link #create()} or {@link #open()} rather than {@link #build()}. {@code /dev/shm} keeps it in memory on Linux.
     * The ring's name defaults to the file name.
     *
     * @param path the ring file
     * @return this builder
     */
    public RingBufferBuilder file(Path path) {
        this.file = Objects.requireNonNull(path, "path must not be null");
        return this;
    }

    /**
     * How long the consumer waits at a record that stays busy (its producer died, or reserved and never committed)
     * before it abandons it, counts it in {@link RingBuffer#abandonedRecords()} and delivers the records behind it. A
     * producer that is only slower than this loses its record: its next write or commit throws
     * {@link IllegalStateException}. At least {@link #MIN_STALL_TIMEOUT}.
     *
     * <p>A ring file always abandons, after {@link #DEFAULT_STALL_TIMEOUT} unless set here; the timeout is recorded
     * in the file by {@link #create()}, and {@link #open()} uses the file's and ignores this one. An in-process ring
     * abandons only when this is set (opt-in): it then commits by CAS instead of a plain store, a few nanoseconds
     * more per commit. Without it, an in-process ring waits at a stuck record for ever while it runs, and after
     * {@link RingBuffer#close()} counts as drained once a record has held the consumer for
     * {@link #DEFAULT_STALL_TIMEOUT}: the stuck record and those behind it are never delivered
     * ({@code docs/semantics.md}).
     *
     * @param timeout at least {@link #MIN_STALL_TIMEOUT}
     * @return this builder
     * @throws IllegalArgumentException if below {@link #MIN_STALL_TIMEOUT}
     */
    public RingBufferBuilder stallTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        StallTimeout.check(timeout);
        this.stallTimeout = timeout;
        this.stallTimeoutSet = true;
        return this;
    }

    /**
     * Overwrite mode, the kernel's {@code BPF_F_RB_OVERWRITE} (default off): when the ring is full a reservation
     * overwrites the oldest committed or discarded records instead of failing; it fails (counted as
     * {@link DropReason#FULL full}) only when a busy record, or the record the consumer is reading, is in the way.
     * The consumer skips overwritten records and counts them ({@link RingBuffer#overwrittenRecords()}); it never
     * delivers a torn record, and a record stays intact while a handler holds it ({@code docs/semantics.md}).
     * Reservations then take a short claim lock, as the kernel's do (a normal ring's stay lock-free).
     * A flight recorder of the latest records:
     *
     * <pre>{@code
     * RingBuffer recorder = RingBuffer.builder().capacity(1 << 20).overwrite(true).build();
     * }</pre>
     *
     * A ring file records the mode: {@link #create()} writes it, {@link #open()} adopts the file's mode and ignores
     * this setting.
     *
     * @param overwrite whether a full ring overwrites its oldest records
     * @return this builder
     */
    public RingBufferBuilder overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /**
     * Creates a new ring file at {@link #file(Path)} and maps it. Fails if the file exists: delete a stale one first
     * (never while other processes map it).
     *
     * @return the ring, shared with every process that opens the file
     * @throws IOException if the file exists or cannot be created or mapped
     * @throws IllegalStateException if no file or no capacity was set
     * @throws IllegalArgumentException if {@code maxRecordSize} exceeds {@code capacity - 16}
     */
    public RingBuffer create() throws IOException {
        requireFile("create()");
        final int c = requireCapacity();
        final int max = maxRecordSize < 0 ? RingLayout.defaultMaxRecordSize(c) : maxRecordSize;
        RingLayout.checkMaxRecordSize(max, c);
        return RingFile.create(file, fileName(), c, max, stallNanos(), overwrite);
    }

    /**
     * Opens and maps an existing ring file at {@link #file(Path)}, after validating its header page and positions.
     * A capacity or maxRecordSize set on this builder must match the file's.
     *
     * @return the ring
     * @throws InvalidRingFileException naming the file and what is wrong: too small, wrong magic, another layout
     *     version, a capacity that is not a power of two, impossible positions, or not the capacity asked for
     * @throws IOException if the file cannot be opened or mapped
     * @throws IllegalStateException if no file was set
     */
    public RingBuffer open() throws IOException {
        requireFile("open()");
        return RingFile.open(file, fileName(), capacity, maxRecordSize, stallNanos());
    }

    private void requireFile(String method) {
        if (file == null) {
            throw new IllegalStateException(method + " needs a file: call file(path), or build() for a ring in "
                    + "process memory");
        }
    }

    private String fileName() {
        return named || file.getFileName() == null ? name : file.getFileName().toString();
    }

    private long stallNanos() {
        return Timeouts.toNanos(stallTimeout);
    }

    private int requireCapacity() {
        if (capacity < 0) {
            throw new IllegalStateException("capacity is required: call capacity(c) with a power of two between "
                    + RingLayout.MIN_CAPACITY + " and " + RingLayout.MAX_CAPACITY);
        }
        return (int) capacity;
    }

    /**
     * Allocates the ring.
     *
     * @return a new, empty ring
     * @throws IllegalStateException if no capacity was set
     * @throws IllegalArgumentException if {@code maxRecordSize} exceeds {@code capacity - 16}
     */
    public RingBuffer build() {
        if (file != null) {
            throw new IllegalStateException("a ring file is created with create() or opened with open(), not build()");
        }
        if (capacity < 0) {
            throw new IllegalStateException("capacity is required: call capacity(c) with a power of two between "
                    + RingLayout.MIN_CAPACITY + " and " + RingLayout.MAX_CAPACITY);
        }
        final int c = (int) capacity;
        final int max = maxRecordSize < 0 ? RingLayout.defaultMaxRecordSize(c) : maxRecordSize;
        RingLayout.checkMaxRecordSize(max, c);
        RingKinds.checkInProcess(stallTimeoutSet, overwrite); // every conflict refused before anything is allocated
        // Safe publication: the ring's fields are final, and the region is handed to other threads through it.
        return RingKinds.inProcess(name, RingRegion.allocate(c, max, stallNanos(), overwrite), c, max, stallNanos(),
                stallTimeoutSet, overwrite);
    }
}
