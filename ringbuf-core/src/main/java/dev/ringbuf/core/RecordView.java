package dev.ringbuf.core;

/**
 * The flyweight {@link Record} that {@link RingBuffer#consume(RecordHandler)} hands to its handler: one per ring,
 * re-pointed at each record and invalidated when the handler returns, so consuming allocates nothing.
 */
final class RecordView extends Record {

    private final RecordMemory memory;

    RecordView(RecordMemory memory) {
        this.memory = memory;
    }

    void point(long position) {
        bind(memory, position);
    }

    RecordMemory memory() {
        return memory;
    }

    void end() {
        invalidate();
    }
}
