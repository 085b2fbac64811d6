package dev.ringbuf.benchmarks.transports;

import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.core.Wakeup;

/**
 * The implementations by the names the benchmarks' {@code impl} parameter uses. Byte rings get
 * {@link #RING_BYTES}; slot rings {@link #SLOTS} (about as many records).
 */
public final class Transports {

    /** Data bytes of every byte ring: 1 MiB, 26,214 records of 40 bytes. */
    public static final int RING_BYTES = 1 << 20;
    /** Slots of every slot ring (Disruptor, JCTools): 32,768 records. */
    public static final int SLOTS = 1 << 15;

    private Transports() {
    }

    /**
     * Makes an implementation.
     *
     * @param name one of the names below: {@code ringbuf} is the README path (reserve, puts, {@code commit()},
     *     {@code consume(handler)}); {@code ringbuf-interface} the same with the reservation returned through a
     *     megamorphic interface call; {@code ringbuf-claim} and {@code ringbuf-claim-none} the offset API with the
     *     DEFAULT and NONE wakeups (the expert path)
     * @return a fresh instance
     */
    public static Transport create(String name) {
        dev.ringbuf.benchmarks.harness.KindMix.warmOtherKindsIfAsked();
        switch (name) {
            case "ringbuf":
                return new RingbufTransport(RING_BYTES, RingbufTransport.Path.RESERVE, Wakeup.DEFAULT);
            case "ringbuf-interface":
                return new RingbufTransport(RING_BYTES, RingbufTransport.Path.RESERVE_BEHIND_INTERFACE,
                        Wakeup.DEFAULT);
            case "ringbuf-claim":
                return new RingbufTransport(RING_BYTES, RingbufTransport.Path.CLAIM, Wakeup.DEFAULT);
            case "ringbuf-claim-none":
                return new RingbufTransport(RING_BYTES, RingbufTransport.Path.CLAIM, Wakeup.NONE);
            case "ringbuf-overwrite":
                return new RingbufTransport(RING_BYTES, RingbufTransport.Path.CLAIM, Wakeup.NONE, true);
            case "ceiling":
                return new CeilingTransport(RING_BYTES);
            case "agrona-mpsc":
                return new AgronaTransport(RING_BYTES, true, false);
            case "agrona-mpsc-write":
                return new AgronaTransport(RING_BYTES, true, true);
            case "agrona-spsc":
                return new AgronaTransport(RING_BYTES, false, false);
            case "disruptor":
                return new DisruptorTransport(SLOTS);
            case "jctools":
                return new JCToolsTransport(SLOTS);
            default:
                throw new IllegalArgumentException("unknown implementation '" + name + "'");
        }
    }
}
