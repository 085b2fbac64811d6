package dev.ringbuf.core;

/**
 * The one description of a ring's memory: the region (a metadata page, the data area, a tail extension) and the
 * format of a record in it. A ring file ({@link RingBufferBuilder#file(java.nio.file.Path)}) is exactly this region
 * in a file, so this class is also the ring-file format.
 *
 * <h2>The region</h2>
 * <pre>
 *  region offset
 *  0      +-----------------------------------------------------------+
 *         | identity line: magic, layout version, capacity,           |  written once, at creation
 *         |   max record size, creation time (ms), feature flags,     |
 *         |   stall timeout (ns, ring files)                          |
 *  128    +-----------------------------------------------------------+
 *         | consumer line: consumer position, records consumed,       |  written by the consumer only
 *         |   records discarded, read position, guard (files only),   |
 *         |   records abandoned, consumer-waiting flags (files),      |
 *         |   freeing-to, last consumer, lease (files), reading       |
 *         |   position (overwrite mode)                               |
 *  256    +-----------------------------------------------------------+
 *         | producer line: producer position (bit 63 = closed),       |  CAS by producers
 *         |   overwrite position (bit 63 = pinned), overwritten count,|  (overwrite mode)
 *         |   claim lock (overwrite mode)                             |
 *  384    +-----------------------------------------------------------+
 *         | producer cache line: last consumer position producers saw |  written by producers, rarely
 *         |   doorbell (ring files: wakeups for another process)      |
 *  512    +-----------------------------------------------------------+
 *         | abandoned line (files): the last abandoned records        |  written by the consumer only
 *         |   (next slot, then 7 slots of start and end)              |
 *  640    +-----------------------------------------------------------+
 *         | reserved (zero)                                           |
 *  4096   +===========================================================+  DATA_OFFSET
 *         | data area: capacity bytes, records at position &amp; (C - 1)  |
 *         +-----------------------------------------------------------+
 *         | tail extension: roundUp(maxRecordSize + 8, 8) bytes       |
 *         +-----------------------------------------------------------+
 * </pre>
 *
 * Each line is 128 bytes rather than 64 so that the adjacent-line prefetcher of x86 cores does not couple two hot
 * lines (false sharing). The metadata page is 4096 bytes so that the data area is page aligned. Every word is
 * little-endian and 8-byte aligned.
 *
 * <h2>A record</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  payload length S (bytes)                     |  header word, bits  0..31
 *  +-----+---------------------------------------------------------+
 *  |state|                lap tag (ring files)                     |  header word, bits 32..34 and 35..63
 *  +-----+---------------------------------------------------------+
 *  |                        payload ...                           ...
 *  ...                                    +-----------------------+
 *  |                                      |   padding to 8 bytes  |
 *  +--------------------------------------+-----------------------+
 *                     rec(S) = roundUp(S + 8, 8) bytes in all
 * </pre>
 *
 * The header is one 64-bit word so that it is written and read atomically. The state is 0 (free: claimed, header
 * not yet written), 1 (busy), 2 (committed) or 3 (discarded). The consumer zeroes the bytes it has consumed, so a
 * header that reads {@code 0} is one a producer has claimed but not written yet, which the consumer treats exactly
 * like a busy one: that is what lets a producer claim space with a single CAS on the producer position and write its
 * header afterwards.
 *
 * <p>The lap tag ({@code position >>> log2(capacity)}, modulo 2^29) is set in ring files and in in-process rings
 * built with a stall timeout, where the consumer may abandon a busy record whose producer stalled: that producer
 * commits with a compare-and-set from its own busy header, and the tag makes the CAS fail on a newer record at the
 * same offset one lap later (an ABA). Other in-process headers carry tag 0.
 *
 * <h2>Version and compatibility</h2> This is layout version {@value #LAYOUT_VERSION}. A reader opens a file only if
 * its magic is {@link #MAGIC}, its version is exactly {@value #LAYOUT_VERSION}, and its feature flags hold no bit
 * the reader does not know; any change to an offset or to the header encoding takes a new version. Fields added in
 * reserved space read zero in older files, and zero always means "absent" (for example a stall timeout of 0: the
 * opener's own).
 */
public final class RingLayout {

    /** Bytes of one padded line. */
    public static final int LINE = 128;

    /** "RINGBUF1" in ASCII, little-endian. */
    public static final long MAGIC = 0x3146554247_4E4952L;
    /** Version of this layout. */
    public static final int LAYOUT_VERSION = 1;

    /** Identity line: the magic word. */
    public static final int MAGIC_OFFSET = 0;
    /** Identity line: the layout version (int). */
    public static final int VERSION_OFFSET = 8;
    /** Identity line: the capacity (int). */
    public static final int CAPACITY_OFFSET = 12;
    /** Identity line: the max record size (int). */
    public static final int MAX_RECORD_SIZE_OFFSET = 16;
    /** Identity line: creation time, milliseconds since the epoch. */
    public static final int CREATION_TIME_OFFSET = 24;
    /** Identity line: feature flags ({@code FLAG_}); a reader refuses a file with a flag it does not know. */
    public static final int FLAGS_OFFSET = 32;
    /**
     * Feature flag: the ring is in overwrite mode (the kernel's {@code BPF_F_RB_OVERWRITE}): a full ring overwrites
     * its oldest committed or discarded records instead of failing ({@code docs/semantics.md}). Set at creation.
     */
    public static final long FLAG_OVERWRITE = 1L;
    /** Every feature flag this library knows. */
    public static final long KNOWN_FLAGS = FLAG_OVERWRITE;
    /** Identity line: the stall timeout of a ring file in nanoseconds (0: not recorded). */
    public static final int STALL_TIMEOUT_OFFSET = 40;

    /** Consumer position; written by the consumer only. */
    public static final int CONSUMER_POSITION_OFFSET = LINE;
    /** Records delivered to a handler; written by the consumer only. */
    public static final int CONSUMED_COUNT_OFFSET = LINE + 8;
    /** Discarded records the consumer skipped; written by the consumer only. */
    public static final int DISCARDED_COUNT_OFFSET = LINE + 16;
    /**
     * Read position: end of the last record the consumer has read. Equal to the consumer position except while a
     * consumer holds records it has not released yet (Reactor's manual-release mode). The DEFAULT wakeup rule
     * compares against it: "the consumer had caught up" means it had read everything before this record.
     */
    public static final int READ_POSITION_OFFSET = LINE + 24;
    /** Ring files: the owner token of the consumer process inside a consumer call, or 0. */
    public static final int CONSUMER_GUARD_OFFSET = LINE + 32;
    /** Ring files: busy records the consumer abandoned after the stall timeout; written by the consumer only. */
    public static final int ABANDONED_COUNT_OFFSET = LINE + 40;
    /** Ring files: bit set of consumer-side waiters (bit 0: a thread in awaitData, bit 1: a wakeup watcher). */
    public static final int CONSUMER_WAITING_OFFSET = LINE + 48;
    /** Ring files: the position the consumer is zeroing up to, written before it zeroes, for a successor. */
    public static final int FREEING_TO_OFFSET = LINE + 56;
    /** Ring files: a random id of the ring object that last took the consumer guard. */
    public static final int LAST_CONSUMER_OFFSET = LINE + 64;
    /**
     * Ring files: the consumer's lease, a counter the process holding the consumer guard advances every quarter of
     * the stall timeout from a daemon thread. A guard word naming a running process that does not advance it is not
     * a consumer's, and is taken over.
     */
    public static final int CONSUMER_HEARTBEAT_OFFSET = LINE + 72;

    /**
     * Overwrite mode: the reading position, the oldest position the consumer still needs intact (the record a
     * handler holds, or the oldest unreleased one); producers never overwrite past it while the overwrite word is
     * pinned. Written by the consumer only.
     */
    public static final int READING_POSITION_OFFSET = LINE + 96;

    /** Producer position, advanced by CAS; bit 63 marks the ring closed. */
    public static final int PRODUCER_POSITION_OFFSET = 2 * LINE;
    /**
     * Overwrite mode: the overwrite position (the oldest record not yet overwritten), advanced by producers with a
     * CAS over whole records; bit 63 ({@link #OVERWRITE_PINNED}) is set by the consumer while it reads. 0 otherwise.
     */
    public static final int OVERWRITE_POSITION_OFFSET = 2 * LINE + 8;
    /** Overwrite mode: committed records overwritten before the consumer read them; atomic add by producers. */
    public static final int OVERWRITTEN_COUNT_OFFSET = 2 * LINE + 16;
    /**
     * Overwrite mode: the claim lock, 0 or the token of the producer that is claiming (the kernel's ring spinlock):
     * CAS by producers.
     */
    public static final int CLAIM_LOCK_OFFSET = 2 * LINE + 24;
    /** Bit of the overwrite word that pins it: producers may not advance it past the reading position. */
    public static final long OVERWRITE_PINNED = Long.MIN_VALUE;
    /** Producers' shared cache of the consumer position. */
    public static final int CONSUMER_CACHE_OFFSET = 3 * LINE;
    /** Ring files: the doorbell, a counter producers increment to wake a consumer in another process. */
    public static final int DOORBELL_OFFSET = 3 * LINE + 8;

    /**
     * Ring files: the abandoned line. Its first word counts the busy records the consumer abandoned (it picks the
     * next slot); then {@value #ABANDONED_RANGE_SLOTS} slots of two words, the start and end position of a recently
     * abandoned record. A stalled producer may still write into that space late; producers that find its bytes in
     * space they claim know what wrote them ({@code docs/shared-memory.md}). Written by the consumer only.
     */
    public static final int ABANDONED_RANGES_OFFSET = 4 * LINE;
    /** Ring files: slots of the abandoned line. */
    public static final int ABANDONED_RANGE_SLOTS = 7;

    /** Bytes of the metadata page; the data area starts here. */
    public static final int DATA_OFFSET = 4096;

    /** Bit of the producer position word that marks the ring closed. */
    public static final long CLOSED_BIT = Long.MIN_VALUE;

    /** Smallest capacity. */
    public static final int MIN_CAPACITY = 64;
    /** Largest capacity. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Bytes of the record header. */
    public static final int HEADER_LENGTH = 8;
    /** Every record starts on this boundary. */
    public static final int ALIGNMENT = 8;

    /** Header state: the bytes are zero, the producer that claimed them has not written its header yet. */
    public static final int STATE_FREE = 0;
    /** Header state: reserved, not yet committed. The consumer stops here. */
    public static final int STATE_BUSY = 1;
    /** Header state: committed; the consumer delivers it. */
    public static final int STATE_COMMITTED = 2;
    /** Header state: discarded; the consumer skips it. */
    public static final int STATE_DISCARDED = 3;

    /** First bit of the lap tag in a header word. */
    public static final int LAP_TAG_SHIFT = 35;
    /** The lap-tag bits of a header word. */
    public static final long LAP_TAG_MASK = -1L << LAP_TAG_SHIFT;
    /** The state bits of a header word, after shifting it right by 32. */
    public static final int STATE_MASK = 7;

    private RingLayout() {
    }

    /**
     * Bytes a record of payload {@code length} occupies in the ring.
     *
     * @param length payload length, non-negative
     * @return {@code roundUp(length + 8, 8)}
     */
    public static int recordLength(int length) {
        return (length + HEADER_LENGTH + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * The untagged header word for a record in {@code state} with payload {@code length}.
     *
     * @param state one of the {@code STATE_} constants
     * @param length payload length
     * @return the 64-bit header word
     */
    public static long header(int state, int length) {
        return ((long) state << 32) | (length & 0xFFFF_FFFFL);
    }

    /**
     * The state of a header word, tagged or not.
     *
     * @param header a header word
     * @return one of the {@code STATE_} constants (4 to 7 for a word that is not a header)
     */
    public static int state(long header) {
        return (int) (header >>> 32) & STATE_MASK;
    }

    /**
     * The payload length of a header word.
     *
     * @param header a header word
     * @return payload length in bytes
     */
    public static int length(long header) {
        return (int) header;
    }

    /**
     * The lap tag of a record at {@code position}, in place in a header word.
     *
     * @param position the record's position
     * @param capacity the ring's capacity
     * @return the tag bits
     */
    public static long lapTag(long position, int capacity) {
        return (position >>> Integer.numberOfTrailingZeros(capacity)) << LAP_TAG_SHIFT;
    }

    /**
     * The same header word in another state, tag and length kept.
     *
     * @param header a header word
     * @param state the new state
     * @return the header in {@code state}
     */
    static long withState(long header, int state) {
        return (header & ~((long) STATE_MASK << 32)) | ((long) state << 32);
    }

    /**
     * Bytes of the tail extension for a ring whose records are at most {@code maxRecordSize} bytes.
     *
     * @param maxRecordSize the largest payload
     * @return the extension length
     */
    public static int tailExtension(int maxRecordSize) {
        return recordLength(maxRecordSize);
    }

    /**
     * Bytes of the whole region (and of a ring file).
     *
     * @param capacity the ring's capacity
     * @param maxRecordSize the largest payload
     * @return metadata page + data area + tail extension
     */
    public static int regionLength(int capacity, int maxRecordSize) {
        return DATA_OFFSET + capacity + tailExtension(maxRecordSize);
    }

    /** A readable name of a header state, for exception messages. */
    static String stateName(int state) {
        switch (state) {
            case STATE_FREE:
                return "free";
            case STATE_BUSY:
                return "busy";
            case STATE_COMMITTED:
                return "committed";
            case STATE_DISCARDED:
                return "discarded";
            default:
                return "invalid(" + state + ")";
        }
    }

    /**
     * The largest {@code maxRecordSize} a ring of {@code capacity} bytes accepts: {@code C - 16}, and less for rings
     * so large that the whole region would not fit in one {@link java.nio.ByteBuffer} (2 GiB).
     */
    static int maxRecordSizeLimit(int capacity) {
        // The region is allocated with DATA_OFFSET bytes of slack to page-align it, so count the page twice.
        long byRegion = (long) Integer.MAX_VALUE - 2L * DATA_OFFSET - capacity - 2L * ALIGNMENT;
        return (int) Math.min(capacity - 16L, byRegion & -ALIGNMENT);
    }

    /** The default {@code maxRecordSize}: a quarter of the capacity. */
    static int defaultMaxRecordSize(int capacity) {
        return capacity / 4;
    }

    /** Checks a capacity; the exception names the value and the rule. */
    static void checkCapacity(long capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " must be a power of two between "
                    + MIN_CAPACITY + " and " + MAX_CAPACITY + " (2^30) bytes");
        }
    }

    /** Checks a max record size against a capacity; the exception names the value and the rule. */
    static void checkMaxRecordSize(int maxRecordSize, int capacity) {
        int limit = maxRecordSizeLimit(capacity);
        if (maxRecordSize < 0 || maxRecordSize > limit) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + " must be between 0 and " + limit
                    + " bytes for capacity " + capacity + " (at most capacity - 16)");
        }
    }
}
