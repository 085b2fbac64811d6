package dev.ringbuf.benchmarks.transports;

import dev.ringbuf.core.Reservation;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingProducer;

/**
 * Application code that hands out reservations, three ways, used in turn from one call site: with three receiver
 * types the site is megamorphic, the JIT calls through the interface without inlining, and the returned
 * {@link Reservation} escapes, as it does from a producer behind an interface in an application. Escape analysis
 * cannot remove the object there; only a {@code reserve} that allocates nothing keeps such a producer at 0 B/record.
 */
final class Reservers {

    /** Hands out a reservation of {@code size} bytes, or null when the ring is full. */
    interface Reserver {
        Reservation reserve(int size);
    }

    private final Reserver[] reservers;

    Reservers(RingBuffer ring) {
        final RingProducer producer = ring;
        this.reservers = new Reserver[] {ring::reserve, producer::reserve, new Checked(ring)};
    }

    /** The reserver for turn {@code turn}: all three in rotation. */
    Reserver next(int turn) {
        return reservers[Integer.remainderUnsigned(turn, 3)];
    }

    private static final class Checked implements Reserver {
        private final RingBuffer ring;

        Checked(RingBuffer ring) {
            this.ring = ring;
        }

        @Override
        public Reservation reserve(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("size " + size + " must be positive");
            }
            return ring.reserve(size);
        }
    }
}
