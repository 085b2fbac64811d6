package dev.ringbuf.samples.spring.docs;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.reactor.RecordEncoder;
import dev.ringbuf.reactor.RingFanOut;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * What the documentation's snippets take as given: the variables and types a reader would have around them (a ring,
 * a registry, an event type, a logger). Each snippet is compiled as a subclass of this class, so a snippet may use
 * these names and nothing else that it does not declare or import itself.
 */
@SuppressWarnings({"unused", "checkstyle:VisibilityModifier"})
public abstract class SnippetContext {

    protected RingBuffer ring = RingBuffer.builder().name("events").capacity(1 << 16).build();
    protected RingBuffer shard0 = RingBuffer.builder().name("shard-0").capacity(1 << 12).build();
    protected RingBuffer shard1 = RingBuffer.builder().name("shard-1").capacity(1 << 12).build();
    protected RingBuffer shard2 = RingBuffer.builder().name("shard-2").capacity(1 << 12).build();
    protected MeterRegistry registry = new SimpleMeterRegistry();
    protected Logger log = Loggers.getLogger(SnippetContext.class);
    protected long seq;
    protected long sequence;
    protected int opcode;
    protected volatile boolean running;
    protected int userId;
    protected int wanted;
    protected Event event = new Event(1, 2, 0);
    protected Flux<Event> events = Flux.just(event);
    protected RecordEncoder<Event> encoder = RecordEncoder.of(e -> 12,
            (e, buffer, offset) -> buffer.putLong(offset, e.seq()).putInt(offset + 8, e.pid()));
    protected RingFanOut<Event> feed;
    protected FeedProperties properties;

    /** A consumer's handler of two fields. */
    protected void handle(long first, int second) {
    }

    /** A group consumer's handler. */
    protected void handle(String ringName, Record record) {
    }

    /** An asynchronous handler (Kafka). */
    protected Mono<Void> handle(Object record) {
        return Mono.empty();
    }

    /** An asynchronous store of a record (manual release). */
    protected Mono<Void> store(Record record) {
        return Mono.empty();
    }

    /** The documentation's event: immutable, decoded from a record. */
    protected record Event(long seq, int pid, long position) {
        static Event decode(Record record) {
            return new Event(record.getLong(0), record.getInt(8), record.position());
        }
    }

    /** The README's click. */
    protected record Click(long sequence, int userId) {
    }

    /** The Spring sample's codec, as the docs use it. */
    protected static final class EventCodec {
        static Event decode(Record record) {
            return Event.decode(record);
        }
    }

    /** The Spring sample's settings, as the docs use them. */
    protected interface FeedProperties {
        int producers();

        long rate();

        int batch();

        int clientBuffer();

        Duration heartbeat();
    }

    /** The Spring sample's producers, as the docs use them. */
    protected static final class SyntheticProducers {
        SyntheticProducers(RingBuffer ring, int producers, long rate, int batch) {
        }
    }
}
