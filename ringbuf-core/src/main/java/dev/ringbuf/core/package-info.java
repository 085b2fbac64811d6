/**
 * The Linux kernel's BPF ring buffer for the JVM: a multi-producer, single-consumer ring of variable-length byte
 * records in one off-heap region.
 *
 * <p>Entry point: {@link dev.ringbuf.core.RingBuffer}. Producers {@link dev.ringbuf.core.RingBuffer#reserve(int)
 * reserve} a {@link dev.ringbuf.core.Reservation}, write it in place and commit or discard it, or use the
 * zero-allocation {@link dev.ringbuf.core.RingBuffer#claim(int) claim}/{@link dev.ringbuf.core.RingBuffer#commit(int)
 * commit} path on offsets, or {@link dev.ringbuf.core.RingBuffer#output(byte[]) output} a copy. One consumer at a
 * time {@link dev.ringbuf.core.RingBuffer#consume(dev.ringbuf.core.RecordHandler) consumes} the committed
 * {@link dev.ringbuf.core.Record records}, in reservation order. {@link dev.ringbuf.core.Wakeup} chooses when a
 * commit wakes the consumer, as the kernel's flags do, and every failed reservation is counted by its
 * {@link dev.ringbuf.core.DropReason}.
 *
 * <p>A ring can also live in a memory-mapped file shared by producers and a consumer in several processes
 * ({@link dev.ringbuf.core.RingBufferBuilder#file(java.nio.file.Path)}, then
 * {@link dev.ringbuf.core.RingBufferBuilder#create() create()} or {@link dev.ringbuf.core.RingBufferBuilder#open()
 * open()}), with the same API; {@code docs/shared-memory.md} describes its layout, wakeups and fault handling.
 *
 * <p>A producer may also wait for space ({@link dev.ringbuf.core.RingBuffer#reserve(int, java.time.Duration)}); a
 * {@link dev.ringbuf.core.RingGroup} lets one consumer serve several rings, fairly.
 *
 * <h2>Memory ordering</h2> Shared words (positions, counters, record headers) live in the ring's off-heap region,
 * laid out as {@link dev.ringbuf.core.RingLayout} describes, and every access to them goes through one class,
 * {@code RingRegion}, whose method names state the access mode, JCTools-style:
 * <ul>
 *   <li>{@code lp}, {@code lo}, {@code la}, {@code lv}: plain, opaque, acquire and volatile load;</li>
 *   <li>{@code sp}, {@code so}, {@code sr}, {@code sv}: plain, opaque, release and volatile store;</li>
 *   <li>{@code cas}, {@code cae}: compare-and-set, compare-and-exchange (volatile); {@code gaa}, {@code gaOr},
 *       {@code gaAnd}: atomic add, or, and (volatile);</li>
 * </ul>
 * followed by the word ({@code laProducerPosition}, {@code srReadPosition}, {@code caeHeader}). Each use takes the
 * weakest mode that is correct, and says where it is made which access it pairs with and which race that prevents.
 * In short: a producer claims space with one CAS on the producer position, writes a busy header (opaque), the payload
 * (plain) and the final header (release); the consumer reads headers with acquire, zeroes the space it consumed and
 * publishes its position with release; a full fence on each side of the wakeup decision (producer: after the header,
 * consumer: after its read position) rules out the lost wakeup.
 *
 * <h2>Shape</h2> {@code RingBuffer} is the facade of two contracts, {@link dev.ringbuf.core.RingProducer} and
 * {@link dev.ringbuf.core.RingConsumer}. The protocol is written once ({@code ProducerPath}, {@code ConsumerPath});
 * what differs between the five ring kinds is assembled when the ring is built ({@code RingKinds}) from two parts,
 * each with two implementations: the memory ({@code RingMode}: {@code InProcessMode}, {@code RingFileMode}) and the header
 * discipline ({@code RingHeaders}: {@code PlainHeaders}, {@code LapTaggedHeaders}); overwrite mode adds its own
 * claim and consumer paths. Never an {@code if} on a hot path, never more than two classes at a hook's call site
 * ({@code docs/semantics.md}, 1a).
 *
 * <h2>File map</h2> Public API: {@code RingBuffer} (facade), {@code RingBufferBuilder}, {@code RingProducer},
 * {@code RingConsumer}, {@code Reservation}, {@code Record}, {@code RecordHandler}, {@code ControlledRecordHandler},
 * {@code Wakeup}, {@code WakeupListener}, {@code DropReason}, {@code SpaceWaiter}, {@code Timeouts},
 * {@code RingGroup} (with {@code GroupRecordHandler}, {@code ControlledGroupRecordHandler}), {@code RingLayout},
 * {@code InvalidRingFileException}. Internals, by job:
 * <ul>
 *   <li>the protocol, written once: {@code ProducerPath}, {@code ConsumerPath}, and overwrite mode's
 *       {@code OverwriteProducerPath}, {@code OverwriteConsumerPath};</li>
 *   <li>the kinds, assembled in one place: {@code RingKinds}; their parts: memory ({@code RingMode}:
 *       {@code InProcessMode}, {@code RingFileMode}) and headers
 *       ({@code RingHeaders}: {@code PlainHeaders}; {@code LapTaggedHeaders}, shared by both abandoning kinds, with
 *       {@code AbandonedRanges}, {@code StallTimeout}, {@code BlockedClock});</li>
 *   <li>memory: {@code RingRegion} (every shared word), {@code RecordMemory}, {@code RecordView},
 *       {@code DetachedRecord}; ring files: {@code RingFile} (create, open, validate), {@code RingFileSize},
 *       {@code RingFileConsumerGuard}, {@code ConsumerLease}, {@code ConsumerToken}, {@code RingFileWaiting},
 *       {@code DoorbellWatcher};</li>
 *   <li>waiting: {@code WakeupSignal} and {@code ConsumerGuard} (the consumer), {@code SpaceWaiters},
 *       {@code SpaceWatcher} and {@code WaitingProducers} (producers waiting for space);</li>
 *   <li>the rest: {@code RingQueries}, {@code RingCounters}, {@code ReservationPool}, {@code ThreadPools},
 *       {@code RingState}, {@code GroupMember}, {@code GroupSignal}.</li>
 * </ul>
 *
 * <p>{@link dev.ringbuf.core.Record} shares its simple name with {@code java.lang.Record}: import it by name, not with
 * a wildcard.
 */
@NullMarked
package dev.ringbuf.core;

import org.jspecify.annotations.NullMarked;
