package dev.ringbuf.test;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingState;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Assertions on the records a ring dropped, by reason: any {@link RingState} (a {@code RingBuffer}, a ring bean in
 * a Spring test, a ring under {@link RingBufferExtension}). A failure says what the ring dropped, by reason.
 *
 * <pre>{@code
 * RingDrops.assertNone(ring);
 * RingDrops.assertDropped(ring, DropReason.FULL, 3);
 * RingDrops before = RingDrops.of(ring);
 * burst(ring);
 * before.assertDroppedSince(DropReason.FULL, 0);
 * }</pre>
 */
public final class RingDrops {

    private final RingState ring;
    private final Map<DropReason, Long> counts;

    private RingDrops(RingState ring) {
        this.ring = ring;
        this.counts = counts(ring);
    }

    /**
     * The ring's drops now, to compare with later.
     *
     * @param ring the ring
     * @return a snapshot of its drop counters
     */
    public static RingDrops of(RingState ring) {
        return new RingDrops(Objects.requireNonNull(ring, "ring must not be null"));
    }

    /**
     * Asserts that the ring has dropped no record, for any reason.
     *
     * @param ring the ring
     * @throws AssertionError naming the drops, by reason
     */
    public static void assertNone(RingState ring) {
        final Map<DropReason, Long> now = counts(ring);
        if (now.values().stream().anyMatch(count -> count != 0)) {
            throw new AssertionError("ring '" + ring.name() + "' dropped records: " + describe(now)
                    + "; expected none");
        }
    }

    /**
     * Asserts how many records the ring dropped for one reason since it was made.
     *
     * @param ring the ring
     * @param reason the reason
     * @param expected the count
     * @throws AssertionError naming the drops, by reason
     */
    public static void assertDropped(RingState ring, DropReason reason, long expected) {
        final Map<DropReason, Long> now = counts(ring);
        if (now.get(reason) != expected) {
            throw new AssertionError("ring '" + ring.name() + "' dropped " + now.get(reason) + " records for "
                    + reason.tag() + ", expected " + expected + " (all drops: " + describe(now) + ")");
        }
    }

    /**
     * Asserts how many records the ring dropped for one reason since this snapshot.
     *
     * @param reason the reason
     * @param expected the count
     * @throws AssertionError naming the drops since the snapshot, by reason
     */
    public void assertDroppedSince(DropReason reason, long expected) {
        final Map<DropReason, Long> since = since();
        if (since.get(reason) != expected) {
            throw new AssertionError("ring '" + ring.name() + "' dropped " + since.get(reason) + " records for "
                    + reason.tag() + " since the snapshot, expected " + expected + " (all drops since: "
                    + describe(since) + ")");
        }
    }

    /**
     * The records dropped since this snapshot, by reason.
     *
     * @return every reason's count
     */
    public Map<DropReason, Long> since() {
        final Map<DropReason, Long> now = counts(ring);
        final Map<DropReason, Long> since = new EnumMap<>(DropReason.class);
        now.forEach((reason, count) -> since.put(reason, count - counts.get(reason)));
        return since;
    }

    private static Map<DropReason, Long> counts(RingState ring) {
        final Map<DropReason, Long> counts = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            counts.put(reason, ring.droppedRecords(reason));
        }
        return counts;
    }

    private static String describe(Map<DropReason, Long> counts) {
        return counts.entrySet().stream().map(entry -> entry.getKey().tag() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
