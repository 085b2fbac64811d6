package dev.ringbuf.benchmarks.suite;

import java.util.Map;

/** What each {@code impl} name stands for, as the report prints it. */
final class Labels {

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("ringbuf", "**ringbuf, README path**: `reserve`, puts, `commit()` (DEFAULT wakeup), "
                    + "`consume(handler)`"),
            Map.entry("ringbuf-interface", "**ringbuf, README path**, the reservation returned through a megamorphic "
                    + "interface call (no inlining, no escape analysis)"),
            Map.entry("ringbuf-claim", "ringbuf, expert path: `claim`/`commit(offset)` (DEFAULT wakeup)"),
            Map.entry("ringbuf-overwrite", "ringbuf overwrite mode, `claim`/`commit(offset, Wakeup.NONE)`"),
            Map.entry("ringbuf-claim-none", "ringbuf, expert path: `claim`/`commit(offset, Wakeup.NONE)`, spinning "
                    + "consumer"),
            Map.entry("ceiling", "ceiling: bare single-producer byte ring (no CAS, no zeroing, no wakeups)"),
            Map.entry("agrona-mpsc", "Agrona `ManyToOneRingBuffer` `tryClaim`/`commit`, `read`"),
            Map.entry("agrona-mpsc-write", "Agrona `ManyToOneRingBuffer` `write` (copy), `read`"),
            Map.entry("agrona-spsc", "Agrona `OneToOneRingBuffer` `tryClaim`/`commit`, `read` (1 producer only)"),
            Map.entry("disruptor", "LMAX Disruptor, multi-producer, `tryNext`/`publish`, `EventPoller`"),
            Map.entry("jctools", "JCTools `MpscArrayQueue<byte[]>` (a new `byte[32]` per record), `drain`"),
            Map.entry("ringbuf-records", "**ringbuf, README path**: `RingBufferFlux.records(ring)`, fed by "
                    + "`reserve`/`commit()`"),
            Map.entry("ringbuf-decode", "**ringbuf, README path**: `RingBufferFlux.decode(ring, r -> r.getLong(0))` "
                    + "(boxed Long), fed by `reserve`/`commit()`"),
            Map.entry("ringbuf-records-claim", "ringbuf, expert path: `records(ring)` fed by `claim`/`commit(offset)`"),
            Map.entry("agrona-flux", "Agrona `ManyToOneRingBuffer` drained into a Flux by a hand-written "
                    + "Subscription"),
            Map.entry("sinks-unicast", "Reactor `Sinks.many().unicast().onBackpressureBuffer(bounded queue)`, "
                    + "`publishOn`"),
            Map.entry("sinks-multicast", "Reactor `Sinks.many().multicast().onBackpressureBuffer(bounded)`, "
                    + "`publishOn`"),
            Map.entry("create-buffer", "Reactor `Flux.create(sink, BUFFER)`, `publishOn`"),
            Map.entry("create-drop", "Reactor `Flux.create(sink, DROP)`, `publishOn` (lossy)"),
            Map.entry("ringbuf-default", "**ringbuf, README path**: `reserve`/`commit()` (DEFAULT), consumer "
                    + "`consume` + `awaitData` (parks when idle)"),
            Map.entry("ringbuf-flux", "**ringbuf** `RingBufferFlux.records(ring)` (defaults), fed by "
                    + "`reserve`/`commit()`, subscriber requesting 256 at a time"),
            Map.entry("ringbuf-spin", "ringbuf, `Wakeup.NONE`, busy-spinning consumer (a floor; burns a core)"),
            Map.entry("park-floor", "no ring: a bare slot-array hand-off whose consumer parks and whose producer "
                    + "unparks it (the floor of any sleeping consumer)"),
            Map.entry("agrona-backoff", "Agrona `ManyToOneRingBuffer`, consumer idling with "
                    + "`BackoffIdleStrategy()` (spin, yield, park 1 us..1 ms)"));

    private Labels() {
    }

    /**
     * The label and the name: "description [`impl`]".
     *
     * @param impl an implementation name
     * @return the printed label
     */
    static String of(String impl) {
        return LABELS.getOrDefault(impl, impl) + " [`" + impl + "`]";
    }
}
