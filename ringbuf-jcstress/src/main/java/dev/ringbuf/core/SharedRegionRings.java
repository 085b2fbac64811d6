package dev.ringbuf.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Ring-file rings (and the in-process stall-timeout kind, whose abandonment the builder's floor keeps too slow for
 * jcstress) for jcstress without files: the {@link RingFileMode} protocol (tagged headers, commit by CAS, the
 * consumer's abandonment, handles that detach) over a direct buffer, several handles sharing it as processes share a
 * mapping. jcstress makes thousands of states per second; a file and a mapping per state would measure the file
 * system. Lives in the core's package (split on the class path, not a module) to reach the package-private modes.
 */
public final class SharedRegionRings {

    private final ByteBuffer memory;
    private final int capacity;
    private final int maxRecordSize;
    private final long stallTimeoutNanos;

    /**
     * A region for handles to share.
     *
     * @param capacity the ring's capacity
     * @param maxRecordSize the largest payload
     * @param stallTimeoutNanos after how long the consumer abandons a busy record (0: at its second look)
     */
    public SharedRegionRings(int capacity, int maxRecordSize, long stallTimeoutNanos) {
        this.memory = ByteBuffer.allocateDirect(RingLayout.regionLength(capacity, maxRecordSize))
                .order(ByteOrder.LITTLE_ENDIAN);
        this.capacity = capacity;
        this.maxRecordSize = maxRecordSize;
        this.stallTimeoutNanos = stallTimeoutNanos;
    }

    /**
     * A handle on the shared region, as {@code create()} (owner) or {@code open()} would return it.
     *
     * @param owner whether closing it ends the stream
     * @return the handle
     */
    public RingBuffer handle(boolean owner) {
        final RingRegion region = new RingRegion(memory, capacity, maxRecordSize);
        return RingKinds.ringFile("jcstress", Path.of("jcstress.ring"), region, capacity, maxRecordSize,
                stallTimeoutNanos, owner, false);
    }

    /**
     * A handle on the shared region in overwrite mode, as {@code create()} or {@code open()} of a ring file whose
     * flags say overwrite would return it.
     *
     * @param owner whether closing it ends the stream
     * @return the handle
     */
    public RingBuffer overwriteHandle(boolean owner) {
        final RingRegion region = new RingRegion(memory, capacity, maxRecordSize);
        return RingKinds.ringFile("jcstress", Path.of("jcstress.ring"), region, capacity, maxRecordSize,
                stallTimeoutNanos, owner, true);
    }

    /**
     * An in-process ring with a stall timeout over the region (not shared: one handle), as
     * {@code RingBuffer.builder().stallTimeout(..).build()} assembles it, but with this object's stall timeout, which
     * may be below the builder's floor (0: the consumer abandons a busy record at its second look).
     *
     * @return the ring
     */
    public RingBuffer inProcessStallTimeout() {
        return RingKinds.inProcess("jcstress", new RingRegion(memory, capacity, maxRecordSize), capacity,
                maxRecordSize, stallTimeoutNanos, true, false);
    }
}
