package dev.ringbuf.core;

import java.nio.file.Path;

/**
 * The one place where the five ring kinds are assembled from their parts, like the kernel's ops tables
 * ({@code docs/semantics.md}, 1a). Each kind is a choice of memory ({@link RingMode}), header discipline
 * ({@link RingHeaders}) and space paths (the common ones, or overwrite mode's claim lock and pinning consumer):
 *
 * <pre>
 * kind                        memory          headers                       space
 * in process                  InProcessMode   PlainHeaders (untagged)       ProducerPath / ConsumerPath
 * in process, stall timeout   InProcessMode   LapTaggedHeaders (checked)    ProducerPath / ConsumerPath
 * in process, overwrite       InProcessMode   PlainHeaders (tagged)         OverwriteProducerPath / -ConsumerPath
 * ring file                   RingFileMode    LapTaggedHeaders (checked)    ProducerPath / ConsumerPath
 * ring file, overwrite        RingFileMode    LapTaggedHeaders (checked)    OverwriteProducerPath / -ConsumerPath
 * </pre>
 *
 * Callers ({@link RingBufferBuilder#build()}, {@link RingFile}, the jcstress harness) pass a formatted region
 * ({@link RingRegion#format}) and settings already validated; a combination that no row makes is refused by the
 * builder before anything is allocated.
 */
final class RingKinds {

    private RingKinds() {
    }

    /**
     * An in-process ring: plain headers, tagged in overwrite mode, or lap-tagged and checked with a stall timeout.
     *
     * @param abandons whether the consumer abandons a record stuck for {@code stallTimeoutNanos} (the stall-timeout
     *     kind); otherwise the timeout is only how long an ended stream waits at a busy record
     */
    static RingBuffer inProcess(String name, RingRegion region, int capacity, int maxRecordSize,
            long stallTimeoutNanos, boolean abandons, boolean overwrite) {
        checkInProcess(abandons, overwrite);
        final WakeupSignal signal = new WakeupSignal();
        final InProcessMode mode = overwrite ? InProcessMode.overwrite(name, region, signal, capacity,
                stallTimeoutNanos)
                : abandons ? InProcessMode.stallTimeout(name, region, signal, capacity, maxRecordSize, stallTimeoutNanos)
                : InProcessMode.plain(name, region, signal, capacity, stallTimeoutNanos);
        return new RingBuffer(name, region, capacity, maxRecordSize, mode, signal, overwrite);
    }

    /**
     * Refuses an in-process combination no row makes; the builder calls it before it allocates anything.
     *
     * @throws IllegalStateException naming the conflict
     */
    static void checkInProcess(boolean abandons, boolean overwrite) {
        if (abandons && overwrite) {
            throw new IllegalStateException("an in-process ring cannot combine overwrite(true) with stallTimeout(...): "
                    + "an overwrite ring does not abandon stuck reservations in process; choose one");
        }
    }

    /**
     * A handle on a ring file (or on any region shared as one): lap-tagged, checked headers, the guard, lease and
     * doorbell in the region.
     *
     * @param owner whether closing this handle ends the stream (the creator's handle)
     */
    static RingBuffer ringFile(String name, Path path, RingRegion region, int capacity, int maxRecordSize,
            long stallTimeoutNanos, boolean owner, boolean overwrite) {
        final RingFileMode mode = new RingFileMode(name, path, region, capacity, maxRecordSize, stallTimeoutNanos,
                owner);
        return new RingBuffer(name, region, capacity, maxRecordSize, mode, new WakeupSignal(), overwrite);
    }
}
