package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.STATE_BUSY;

/**
 * The header discipline of in-process kinds that never abandon a record: the region is private to the JVM and a
 * record waits for its producer, so nothing is validated or checked, the busy header is an opaque store and the
 * commit a release store. Headers carry the lap tag only in overwrite mode, which never zeroes space: there a stale
 * header of an earlier lap must never equal one of this lap ({@link OverwriteProducerPath} takes a slot with a CAS
 * from the value it saw).
 */
final class PlainHeaders extends RingHeaders {

    private final RingRegion region;
    private final int capacity;
    /** {@link RingLayout#LAP_TAG_MASK} when headers are tagged (overwrite), else 0: no branch in {@link #tag}. */
    private final long tagMask;

    /**
     * @param capacity the ring's capacity
     * @param tagged whether headers carry the lap tag (overwrite mode)
     */
    PlainHeaders(RingRegion region, int capacity, boolean tagged) {
        this.region = region;
        this.capacity = capacity;
        this.tagMask = tagged ? RingLayout.LAP_TAG_MASK : 0L;
    }

    @Override
    long tag(long position) {
        return RingLayout.lapTag(position, capacity) & tagMask;
    }

    @Override
    boolean isClaimable(long position, long recordLength) {
        return true;
    }

    @Override
    void writeBusyHeader(int headerOffset, long busy, long position) {
        // Opaque: no ordering needed; until it lands the header reads zero, which the consumer treats like busy.
        region.soHeader(headerOffset, busy);
    }

    @Override
    void publishHeader(int headerOffset, long header) {
        // Release pairs with the consumer's acquire of the header: the payload written before it is visible.
        region.srHeader(headerOffset, header);
    }

    @Override
    boolean checksReservations() {
        return false;
    }

    @Override
    void checkReserved(int headerOffset, long busy, long position) {
        // never abandoned: a reservation owns its record until it commits or discards it
    }

    @Override
    boolean checkRecord(long header, long position) {
        return true; // headers are written by this JVM's producers only
    }

    @Override
    boolean isReserved(long position, long header) {
        // A claimed, unwritten header (0) lasts a few instructions in process; only a busy one blocks.
        return RingLayout.state(header) == STATE_BUSY;
    }

    @Override
    long onHeadOfLine(long position, long header, long since) {
        return 0; // never abandoned: the record waits for its producer
    }
}
