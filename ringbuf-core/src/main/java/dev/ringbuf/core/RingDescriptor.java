package dev.ringbuf.core;

/**
 * Layout of a ring's memory region: a metadata page, the data area of {@code capacity} bytes, and a tail
 * extension into which a record that starts near the end of the data area continues, so that every record is
 * contiguous in memory.
 *
 * <pre>
 *  region offset
 *  0      +-----------------------------------------------------------+
 *         | identity line: magic, layout version, capacity,           |
 *         |                max record size, creation time (ms)        |
 *  128    +-----------------------------------------------------------+
 *         | consumer line: consumer position, records consumed,       |  written by the consumer only
 *         |   records discarded, read position, guard (files only),   |
 *         |   records abandoned, consumer-waiting flags (files)       |
 *  256    +-----------------------------------------------------------+
 *         | producer line: producer position (bit 63 = closed)        |  CAS by producers
 *  384    +-----------------------------------------------------------+
 *         | producer cache line: last consumer position producers saw |  written by producers, rarely
 *         |   doorbell (ring files: wakeups for another process)      |
 *  512    +-----------------------------------------------------------+
 *         | reserved (zero)                                           |
 *  4096   +===========================================================+  DATA_OFFSET
 *         | data area: capacity bytes, records at position & (C - 1)  |
 *         +-----------------------------------------------------------+
 *         | tail extension: roundUp(maxRecordSize + 8, 8) bytes       |
 *         +-----------------------------------------------------------+
 * </pre>
 *
 * Each line is 128 bytes rather than 64 so that the adjacent-line prefetcher of x86 cores does not couple two hot
 * lines (false sharing). The metadata page is 4096 bytes so that the data area is page aligned.
 */
final class RingDescriptor {

    /** Bytes of one padded line. */
    static final int LINE = 128;

    /** "RINGBUF1" in ASCII, little-endian. */
    static final long MAGIC = 0x3146554247_4E4952L;
    /** Version of this layout. */
    static final int LAYOUT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int CAPACITY_OFFSET = 12;
    static final int MAX_RECORD_SIZE_OFFSET = 16;
    static final int CREATION_TIME_OFFSET = 24;

    /** Consumer position; written by the consumer only. */
    static final int CONSUMER_POSITION_OFFSET = LINE;
    /** Records delivered to a handler; written by the consumer only. */
    static final int CONSUMED_COUNT_OFFSET = LINE + 8;
    /** Discarded records the consumer skipped; written by the consumer only. */
    static final int DISCARDED_COUNT_OFFSET = LINE + 16;
    /**
     * Read position: end of the last record the consumer has read. Equal to the consumer position except while a
     * consumer holds records it has not released yet (Reactor's manual-release mode). The DEFAULT wakeup rule
     * compares against it: "the consumer had caught up" means it had read everything before this record.
     */
    static final int READ_POSITION_OFFSET = LINE + 24;
    /**
     * Ring files only: the owner token of the consumer process inside consume/read/releaseTo/awaitData, or 0 (see
     * {@link ConsumerToken}), so that a dead owner can be recognised. An in-process ring keeps its guard on the heap,
     * in a padded {@link ConsumerGuard}, off this line that producers read.
     */
    static final int CONSUMER_GUARD_OFFSET = LINE + 32;
    /** Ring files only: busy records the consumer abandoned after the stall timeout; written by the consumer only. */
    static final int ABANDONED_COUNT_OFFSET = LINE + 40;
    /**
     * Ring files only: bit set of consumer-side waiters (bit 0: a thread in awaitData, bit 1: a wakeup watcher).
     * Producers read it after the fence that follows their commit and ring the doorbell only when it is non-zero.
     */
    static final int CONSUMER_WAITING_OFFSET = LINE + 48;
    /**
     * Ring files only: the position the consumer is freeing (zeroing) up to, written before it zeroes; a successor of
     * a consumer that died while zeroing finishes the job from here instead of reading half-zeroed records.
     */
    static final int FREEING_TO_OFFSET = LINE + 56;
    /**
     * Ring files only: a random id of the ring object that last took the consumer guard; a consumer that finds another
     * id knows that someone else consumed in between, and does not expect the consumer position it last published.
     */
    static final int LAST_CONSUMER_OFFSET = LINE + 64;

    /** Producer position, advanced by CAS; bit 63 marks the ring closed. */
    static final int PRODUCER_POSITION_OFFSET = 2 * LINE;
    /** Producers' shared cache of the consumer position. */
    static final int CONSUMER_CACHE_OFFSET = 3 * LINE;
    /** Ring files only: the doorbell, a counter producers increment to wake a consumer in another process. */
    static final int DOORBELL_OFFSET = 3 * LINE + 8;

    /** Bytes of the metadata page; the data area starts here. */
    static final int DATA_OFFSET = 4096;

    /** Bit of the producer position word that marks the ring closed. */
    static final long CLOSED_BIT = Long.MIN_VALUE;

    /** Smallest capacity. */
    static final int MIN_CAPACITY = 64;
    /** Largest capacity. */
    static final int MAX_CAPACITY = 1 << 30;

    private RingDescriptor() {
    }

    /**
     * Bytes of the tail extension for a ring whose records are at most {@code maxRecordSize} bytes.
     *
     * @param maxRecordSize the largest payload
     * @return the extension length
     */
    static int tailExtension(int maxRecordSize) {
        return RecordDescriptor.recordLength(maxRecordSize);
    }

    /**
     * The largest {@code maxRecordSize} a ring of {@code capacity} bytes accepts: {@code C - 16}, and less for
     * rings so large that the whole region would not fit in one {@link java.nio.ByteBuffer} (2 GiB).
     *
     * @param capacity the ring's capacity
     * @return the limit
     */
    static int maxRecordSizeLimit(int capacity) {
        // The region is allocated with DATA_OFFSET bytes of slack to page-align it, so count the page twice.
        long byRegion = (long) Integer.MAX_VALUE - 2L * DATA_OFFSET - capacity - 2L * RecordDescriptor.ALIGNMENT;
        return (int) Math.min(capacity - 16L, byRegion & -RecordDescriptor.ALIGNMENT);
    }

    /**
     * The default {@code maxRecordSize}: a quarter of the capacity.
     *
     * @param capacity the ring's capacity
     * @return {@code capacity / 4}
     */
    static int defaultMaxRecordSize(int capacity) {
        return capacity / 4;
    }

    /**
     * Bytes of the whole region.
     *
     * @param capacity the ring's capacity
     * @param maxRecordSize the largest payload
     * @return metadata page + data area + tail extension
     */
    static int regionLength(int capacity, int maxRecordSize) {
        return DATA_OFFSET + capacity + tailExtension(maxRecordSize);
    }

    /**
     * Checks a capacity.
     *
     * @param capacity the requested capacity
     * @throws IllegalArgumentException naming the value and the rule
     */
    static void checkCapacity(long capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " must be a power of two between "
                    + MIN_CAPACITY + " and " + MAX_CAPACITY + " (2^30) bytes");
        }
    }

    /**
     * Checks a max record size against a capacity.
     *
     * @param maxRecordSize the requested limit
     * @param capacity the ring's capacity
     * @throws IllegalArgumentException naming the value and the rule
     */
    static void checkMaxRecordSize(int maxRecordSize, int capacity) {
        int limit = maxRecordSizeLimit(capacity);
        if (maxRecordSize < 0 || maxRecordSize > limit) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + " must be between 0 and " + limit
                    + " bytes for capacity " + capacity + " (at most capacity - 16)");
        }
    }
}
