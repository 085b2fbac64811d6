package dev.ringbuf.core;

/**
 * The header discipline of a ring kind, one of the parts a kind is assembled from ({@code docs/semantics.md}, 1a):
 * how a producer tags, writes and publishes a record's header, whether its writes are checked, and how the consumer
 * validates a header and what it does at a record that stays busy. Exactly two implementations, so that every call
 * site on the hot paths sees at most two classes whatever mix of kinds a JVM runs: {@link PlainHeaders} (in process
 * without a stall timeout, and in-process overwrite) and {@link LapTaggedHeaders} (every kind that abandons: ring
 * files, and in process with a stall timeout).
 */
abstract class RingHeaders {

    /** The lap tag of a header at {@code position} (0 where headers are untagged). */
    abstract long tag(long position);

    /**
     * Whether {@code [position, position + recordLength)} may be claimed.
     *
     * @return {@code false} if {@code position} is stale and the claim must be retried
     */
    abstract boolean isClaimable(long position, long recordLength);

    /** Writes the busy header of a record just claimed at {@code position}. */
    abstract void writeBusyHeader(int headerOffset, long busy, long position);

    /** Publishes a committed or discarded header: the payload written before it becomes visible to the consumer. */
    abstract void publishHeader(int headerOffset, long header);

    /**
     * Whether a {@link Reservation} must call {@link #checkReserved} before each write: only where the consumer can
     * abandon a record. Read once per reservation, so unchecked kinds' writes pay one predictable branch.
     */
    abstract boolean checksReservations();

    /**
     * Checks that the reservation at {@code position} still owns its record before the producer writes into it.
     *
     * @throws IllegalStateException if the consumer abandoned it
     */
    abstract void checkReserved(int headerOffset, long busy, long position);

    /**
     * Checks a header before the consumer trusts its length.
     *
     * @return {@code true} if the header may be trusted; {@code false} if the word was not a header at all but a
     *     stalled producer's late write into free space, which was cleaned: read the header again
     * @throws IllegalStateException if the header is impossible
     */
    abstract boolean checkRecord(long header, long position);

    /**
     * Whether the consumer stopping at {@code position} with {@code header} is blocked by a reservation (as opposed
     * to having read everything reserved).
     */
    abstract boolean isReserved(long position, long header);

    /**
     * The consumer stopped, twice, at a record that is busy (or claimed and not yet written) at {@code position}.
     *
     * @param since when the consumer first stopped at this record with this header ({@link System#nanoTime()})
     * @return bytes to skip past an abandoned record (&gt; 0), 0 to stop here, -1 if the header changed
     */
    abstract long onHeadOfLine(long position, long header, long since);
}
