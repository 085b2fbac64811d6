package dev.ringbuf.bpf;

import static dev.ringbuf.bpf.KernelRingMapping.BUSY_BIT;
import static dev.ringbuf.bpf.KernelRingMapping.DISCARD_BIT;

import dev.ringbuf.core.ControlledRecordHandler;
import dev.ringbuf.core.MappedRecordView;
import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.Record;

/**
 * The consumer loop over a kernel ring, with the kernel's header discipline (libbpf's
 * {@code ringbuf_process_ring}): read the producer position with acquire, walk records from the read position while
 * it is behind, stop at the first busy one, skip discarded ones, hand committed ones to the handler as a zero-copy
 * {@link Record} view, and publish how far it got. Its caller holds the consumer guard; nothing here allocates.
 *
 * <p>This is a second consumer loop beside the core's {@code ConsumerPath}: the core's loop reads its own header
 * encoding (state in bits 32..34) from its own region layout, and cannot yet be pointed at the kernel's
 * (busy bit 31, discard bit 30, positions in two separate pages). See {@code docs/kernel-rings.md}.
 */
final class KernelConsumerLoop {

    private final KernelRingMapping mapping;
    private final MappedRecordView view;
    private final PlainHandler plain = new PlainHandler();
    /** End of the last record read; ahead of the kernel's consumer position only while records are unreleased. */
    private volatile long readPosition;
    private volatile long consumed;
    private volatile long discarded;

    KernelConsumerLoop(KernelRingMapping mapping) {
        this.mapping = mapping;
        this.view = new MappedRecordView(mapping.dataBuffer(), mapping.mask);
        this.readPosition = mapping.laConsumerPosition();
    }

    int consume(RecordHandler handler, int limit, boolean free) {
        plain.handler = handler;
        try {
            return run(plain, limit, free);
        } finally {
            plain.handler = null;
        }
    }

    /**
     * Delivers at most {@code limit} records after the read position; with {@code free}, gives their space back to
     * the kernel too.
     */
    int run(ControlledRecordHandler handler, int limit, boolean free) {
        checkLimit(limit);
        final KernelRingMapping mapping = this.mapping;
        final MappedRecordView view = this.view;
        final int mask = mapping.mask;
        final long start = readPosition;
        long position = start;
        long producer = mapping.laProducerPosition();
        int delivered = 0;
        long skipped = 0;
        try {
            while (delivered < limit) {
                if (position >= producer) {
                    // Acquire pairs with the kernel's release of producer_pos in __bpf_ringbuf_reserve: the headers
                    // it reserved before are visible (busy until submitted).
                    producer = mapping.laProducerPosition();
                    if (position >= producer) {
                        break;
                    }
                }
                final int length = mapping.laLength((int) (position & mask));
                if ((length & BUSY_BIT) != 0) {
                    break; // head of line: the program has not submitted it yet; its submit wakes us
                }
                final long next = position + KernelRingMapping.recordLength(length);
                if ((length & DISCARD_BIT) != 0) {
                    position = next;
                    skipped++;
                    continue;
                }
                view.point(position);
                final long at = position;
                position = next; // a handler that throws has consumed its record, and nothing else
                delivered++;
                final ControlledRecordHandler.Action action;
                try {
                    action = handler.onRecord(view);
                } finally {
                    view.end();
                }
                if (action != ControlledRecordHandler.Action.CONTINUE) {
                    if (action == ControlledRecordHandler.Action.ABORT) {
                        position = at;
                        delivered--;
                    }
                    break;
                }
            }
        } finally {
            readPosition = position;
            if (free && position != start) {
                mapping.srConsumerPosition(position);
            }
            // Single writer (the guard's holder); volatile so that queries on other threads see whole values.
            consumed = consumed + delivered;
            discarded = discarded + skipped;
        }
        return delivered;
    }

    /** Gives the space of records read up to {@code position} back to the kernel. */
    void releaseTo(long position) {
        final long consumer = mapping.laConsumerPosition();
        final long read = readPosition;
        if (position < consumer || position > read) {
            throw new IllegalArgumentException("position " + position + " must be between the consumer position "
                    + consumer + " and the read position " + read);
        }
        if ((position & 7) != 0) {
            throw new IllegalArgumentException("position " + position + " is not a record boundary: record "
                    + "positions are a multiple of 8");
        }
        mapping.srConsumerPosition(position);
    }

    void rewindRead() {
        readPosition = mapping.laConsumerPosition();
    }

    /** Whether a committed or discarded record waits at the read position. */
    boolean isRecordReady() {
        final long position = readPosition;
        return position < mapping.laProducerPosition()
                && (mapping.laLength((int) (position & mapping.mask)) & BUSY_BIT) == 0;
    }

    /** Whether epoll's level would say "readable" for a reason other than a ready record (unreleased or busy). */
    boolean pollWouldSpin() {
        final long position = readPosition;
        return position != mapping.laConsumerPosition() || position < mapping.laProducerPosition();
    }

    long readPosition() {
        return readPosition;
    }

    long consumed() {
        return consumed;
    }

    long discarded() {
        return discarded;
    }

    static void checkLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit + " must be positive");
        }
    }

    /** Adapts a {@link RecordHandler}: every record consumed, never an early end. */
    private static final class PlainHandler implements ControlledRecordHandler {
        RecordHandler handler;

        @Override
        public Action onRecord(Record record) {
            handler.onRecord(record);
            return Action.CONTINUE;
        }
    }
}
