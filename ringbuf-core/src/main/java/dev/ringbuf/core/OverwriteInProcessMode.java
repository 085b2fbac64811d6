package dev.ringbuf.core;

/**
 * An in-process ring in overwrite mode: like {@link InProcessMode}, but its headers carry the lap tag, as a ring
 * file's do. Overwrite mode never zeroes space, so a slot about to be claimed still holds the bytes of a record from
 * an earlier lap; the tag keeps such a stale header from ever equalling a header of this lap at the same position
 * ({@link OverwriteProducerPath} relies on that when it takes a slot with a CAS from the value it saw).
 */
final class OverwriteInProcessMode extends InProcessMode {

    private final int capacity;

    OverwriteInProcessMode(String name, RingRegion region, WakeupSignal signal, int capacity,
            long stallTimeoutNanos) {
        super(name, region, signal, stallTimeoutNanos);
        this.capacity = capacity;
    }

    @Override
    long tag(long position) {
        return RingLayout.lapTag(position, capacity);
    }
}
