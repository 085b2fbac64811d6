package dev.ringbuf.reactor;

import dev.ringbuf.core.RingAttachments;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingGroup;
import dev.ringbuf.core.WakeupListener;

/**
 * What one drain ({@link RingSubscription}) reads: a ring, or a group (a source with several member rings). The
 * drain needs of it only its wakeup listener, its end and its name; how a batch is read is the subscription
 * subclass's job.
 */
abstract class DrainTarget {

    /** Where the ring's (or the group's) subscriber slot lives ({@link Attachments}). */
    abstract RingAttachments attachments();

    /** Its name: a ring's name, or the group's member names. */
    abstract String name();

    /** How an error message names it: {@code ring 'events'}, {@code RingGroup[a, b]}. */
    abstract String label();

    abstract boolean isClosedAndDrained();

    abstract WakeupListener setWakeupListener(WakeupListener listener);

    /** The ring whose subscriber meters the drain registers; null for a group (each member keeps its own). */
    abstract RingBuffer meteredRing();

    static DrainTarget of(RingBuffer ring) {
        return new DrainTarget() {
            @Override
            RingAttachments attachments() {
                return ring.attachments();
            }

            @Override
            String name() {
                return ring.name();
            }

            @Override
            String label() {
                return "ring '" + ring.name() + "'";
            }

            @Override
            boolean isClosedAndDrained() {
                return ring.isClosedAndDrained();
            }

            @Override
            WakeupListener setWakeupListener(WakeupListener listener) {
                return ring.setWakeupListener(listener);
            }

            @Override
            RingBuffer meteredRing() {
                return ring;
            }
        };
    }

    static DrainTarget of(RingGroup group) {
        return new DrainTarget() {
            @Override
            RingAttachments attachments() {
                return group.attachments();
            }

            @Override
            String name() {
                return group.toString();
            }

            @Override
            String label() {
                return group.toString();
            }

            @Override
            boolean isClosedAndDrained() {
                return group.isClosedAndDrained();
            }

            @Override
            WakeupListener setWakeupListener(WakeupListener listener) {
                return group.setWakeupListener(listener);
            }

            @Override
            RingBuffer meteredRing() {
                return null;
            }
        };
    }
}
