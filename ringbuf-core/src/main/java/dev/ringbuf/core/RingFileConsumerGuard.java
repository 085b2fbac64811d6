package dev.ringbuf.core;

import static dev.ringbuf.core.RingLayout.CLOSED_BIT;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A ring file's single-consumer guard, kept in the file: the {@link ConsumerToken} of the consumer process inside a
 * consumer call, or 0. A consumer process that died holding it (or a word naming a process that does not map the
 * ring file) is replaced, and its successor repairs what it left
 * (a half-done zeroing) and resumes from the persisted consumer position (at-least-once for records it had read but
 * not freed). A consumer that takes a free guard after another ring object consumed resumes there too: records read
 * between calls and never released ({@code read}, manual release) are delivered again, wherever their reader went. The consumer positions are validated before they are used, and the consumer position is compared with
 * the one this consumer last published at the moment it is used, so that another process writing it can never make
 * the consumer zero space it has not consumed.
 */
final class RingFileConsumerGuard {

    private final Path path;
    private final RingRegion region;
    private final int capacity;
    private final long token = ConsumerToken.current();
    /**
     * The ring file's inode, looked up when first needed (create() renames the file into place after building the
     * ring): a process holds the guard only if it maps it ({@link ConsumerToken#holdsRing}). 0: not looked up yet.
     */
    private long inode;
    /** Tells this ring object from others in the same process (they share the token). */
    private final long instance = ThreadLocalRandom.current().nextLong() | 1;
    /** The consumer position this handle last published, or -1: a different value in the file is corruption. */
    private long publishedConsumerPosition = -1;

    private final long stallTimeoutNanos;
    private final ConsumerLease lease;
    private final RingFileSize size;

    RingFileConsumerGuard(Path path, RingRegion region, int capacity, long stallTimeoutNanos, RingFileSize size) {
        this.size = size;
        this.path = path;
        this.region = region;
        this.capacity = capacity;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.lease = new ConsumerLease(region, token, stallTimeoutNanos);
    }

    /** This handle is closed: its process stops renewing the consumer lease for it. */
    void detach() {
        lease.stop();
    }

    /** Whether the foreign guard word {@code owner} no longer names a consumer of this ring. */
    private boolean isVacated(long owner) {
        final int holds = ConsumerToken.holdsRing(owner, inode());
        return holds == ConsumerToken.NOT_HOLDER
                || holds == ConsumerToken.UNKNOWN && lease.lapsed(owner, stallTimeoutNanos);
    }

    private long inode() {
        if (inode == 0) {
            inode = ConsumerToken.inodeOf(path);
        }
        return inode;
    }

    private IllegalStateException corrupted(String what) {
        return new IllegalStateException("ring file " + path + " is corrupted: " + what);
    }

    /**
     * Takes the guard for this process, replacing an owner process that died, and validates the positions.
     *
     * @throws IllegalStateException if another live consumer holds it, or the positions are impossible
     */
    void acquire(ConsumerPath consumer) {
        size.check();
        long owner = region.lvConsumerGuard();
        for (;;) {
            if (owner == 0) {
                // CAS (volatile): everything the previous consumer wrote is visible to us.
                if (region.casConsumerGuard(0L, token)) {
                    lease.start();
                    break;
                }
                owner = region.lvConsumerGuard();
            } else if (owner != token && isVacated(owner)) {
                final long witness = region.caeConsumerGuard(owner, token);
                if (witness == owner) {
                    lease.start();
                    noteConsumer(consumer);
                    takeOver(consumer);
                    return;
                }
                owner = witness;
            } else {
                throw new IllegalStateException("ring file " + path + " already has an active consumer ("
                        + ConsumerToken.describe(owner) + (owner == token ? ", this process" : "")
                        + "): a ring has a single consumer, and consume, read, releaseTo and awaitData must not run "
                        + "concurrently");
            }
        }
        // Plain: the guard's CAS above ordered the previous consumer's stores (this word among them) before us.
        final boolean successor = region.lpLastConsumer() != instance;
        noteConsumer(consumer);
        try {
            final long consumerPosition = region.lpConsumerPosition();
            checkPublished(consumerPosition);
            validatePositions(consumerPosition, region.lpReadPosition());
            publishedConsumerPosition = consumerPosition;
            if (successor) {
                // Another consumer read records between its calls (read, or records() with manual release) and
                // did not release them: it died, or let go of the ring. Deliver them again (at-least-once).
                region.srReadPosition(consumerPosition);
            }
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Guard held: if another ring object consumed since our last call, its position moves were legitimate. */
    private void noteConsumer(ConsumerPath consumer) {
        if (region.lpLastConsumer() != instance) {
            publishedConsumerPosition = -1;
            consumer.resetBlocked();
            // Opaque under the guard; the guard's release CAS publishes it to the next consumer.
            region.soLastConsumer(instance);
        }
    }

    /** Guard just taken from a dead owner: finish its zeroing, then resume from the persisted consumer position. */
    private void takeOver(ConsumerPath consumer) {
        try {
            long consumerPosition = region.lvConsumerPosition();
            final long read = region.lvReadPosition();
            validatePositions(consumerPosition, read);
            final long freeing = region.lvFreeingTo();
            publishedConsumerPosition = consumerPosition;
            if (freeing > consumerPosition && freeing <= read && (freeing & (RingLayout.ALIGNMENT - 1)) == 0) {
                // It died while zeroing [consumer, freeing): records it had consumed. Finish and publish.
                consumer.freeTo(freeing);
                consumerPosition = freeing;
            }
            // Records it read but had not freed are delivered again: at-least-once across a consumer's death.
            region.srReadPosition(consumerPosition);
            publishedConsumerPosition = consumerPosition;
            consumer.resetBlocked();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    private void checkPublished(long consumerPosition) {
        if (publishedConsumerPosition >= 0 && consumerPosition != publishedConsumerPosition) {
            throw corrupted("consumer position " + consumerPosition + " was changed behind the consumer's back (it "
                    + "last published " + publishedConsumerPosition + "); nothing was freed");
        }
    }

    private void validatePositions(long consumer, long read) {
        final long producer = region.laProducerPosition() & ~CLOSED_BIT;
        // Overwrite mode reclaims space from the overwrite position (0 in normal mode, where this is the consumer).
        final long oldest = Math.max(consumer, region.laOverwriteWord() & ~RingLayout.OVERWRITE_PINNED);
        if (((consumer | read) & (RingLayout.ALIGNMENT - 1)) != 0 || consumer > read || read > producer
                || producer - oldest > capacity) {
            // At most a capacity apart, not capacity - 8: producers that trusted a consumer position that was moved
            // ahead may have filled the ring to exactly a capacity, which still overlaps nothing.
            throw corrupted("consumer position " + consumer + " and read position " + read
                    + " are impossible for producer position " + producer + " and capacity " + capacity
                    + " (rule: 8-aligned, consumer <= read <= producer, producer - consumer <= capacity)");
        }
    }

    /**
     * Gives the guard back; a consumer that finds someone else's token there was fenced off.
     *
     * @throws IllegalStateException if another process took the guard over
     */
    void release() {
        size.check();
        if (!region.casConsumerGuard(token, 0L)) {
            final long witness = region.lvConsumerGuard();
            publishedConsumerPosition = -1;
            throw new IllegalStateException("the consumer of ring file " + path + " was fenced off: "
                    + ConsumerToken.describe(witness) + " took over while it was consuming");
        }
    }

    /**
     * Before the consumer zeroes {@code [consumerPosition, position)}: checks that it still owns the ring and that
     * the consumer position is the one it published (read from the file at this very moment: a foreign write is
     * caught where it would be used), and notes the target so that a successor can finish if this process dies.
     */
    void beforeFree(long consumerPosition, long position) {
        final long owner = region.lvConsumerGuard();
        if (owner != token) {
            publishedConsumerPosition = -1;
            throw new IllegalStateException("the consumer of ring file " + path + " was fenced off: "
                    + ConsumerToken.describe(owner) + " took over while it was consuming; nothing was freed");
        }
        checkPublished(consumerPosition);
        // Volatile (a full fence on the way out): the note is in memory before the first zero is, so a successor
        // never finds half-zeroed records without it.
        region.svFreeingTo(position);
    }

    /** The consumer published {@code position}. */
    void published(long position) {
        publishedConsumerPosition = position;
    }
}
