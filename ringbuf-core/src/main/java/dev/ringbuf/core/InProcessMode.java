package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.STATE_BUSY;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A ring in this process's memory: the region is private to the JVM, so nothing in it needs validating, headers
 * need no lap tag, the consumer guard and the wakeup are heap objects, and a stuck record is never abandoned (unless
 * the ring was built with a stall timeout: {@link AbandoningInProcessMode}).
 */
class InProcessMode extends RingMode {

    final String name;
    final RingRegion region;
    final WakeupSignal signal;
    /** After close, how long a busy record may hold the consumer before the stream counts as drained. */
    private final long stallTimeoutNanos;
    /** One consumer at a time: a padded flag of its own, off the lines producers read. */
    private final ConsumerGuard guard = new ConsumerGuard();

    InProcessMode(String name, RingRegion region, WakeupSignal signal, long stallTimeoutNanos) {
        this.name = name;
        this.region = region;
        this.signal = signal;
        this.stallTimeoutNanos = stallTimeoutNanos;
    }

    @Override
    long stallTimeoutNanos() {
        return stallTimeoutNanos;
    }

    @Override
    boolean abandonsStuckRecords() {
        return false;
    }

    @Override
    long tag(long position) {
        return 0;
    }

    @Override
    void checkConsumerPosition(long producerBefore, long consumer) {
        // Only this JVM writes the region: a consumer position is what the consumer published.
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
    void ringDoorbell() {
        // No other process can consume an in-process ring.
    }

    @Override
    void ringDoorbellOnEnd() {
        // No other process can consume an in-process ring.
    }

    @Override
    void acquireConsumer(ConsumerPath consumer) {
        if (!guard.tryAcquire()) {
            throw new IllegalStateException("ring '" + name + "' already has an active consumer: a ring has a single "
                    + "consumer, and consume, read, releaseTo and awaitData must not run concurrently");
        }
    }

    @Override
    void releaseConsumer() {
        guard.release();
    }

    @Override
    boolean checkRecord(long header, long position) {
        return true; // headers are written by this JVM's producers only
    }

    @Override
    long onHeadOfLine(long position, long header, long since) {
        return 0; // never abandoned in process: the record waits for its producer
    }

    @Override
    boolean isReserved(long position, long header) {
        // A claimed, unwritten header (0) lasts a few instructions in process; only a busy one blocks.
        return RingLayout.state(header) == STATE_BUSY;
    }

    @Override
    void beforeFree(long consumerPosition, long position) {
    }

    @Override
    void afterFree(long position) {
    }

    @Override
    boolean awaitData(ConsumerPath consumer, Object blocker, long deadline) throws InterruptedException {
        return signal.await(consumer, blocker, deadline);
    }

    @Override
    void listenerChanged(WakeupListener listener) {
        // Producers call the listener directly.
    }

    @Override
    boolean ownsStream() {
        return true;
    }

    @Override
    void detach() {
    }

    @Override
    long abandonedRecords() {
        return 0;
    }

    @Override
    Optional<Path> file() {
        return Optional.empty();
    }
}
