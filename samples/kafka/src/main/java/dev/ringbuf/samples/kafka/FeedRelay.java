package dev.ringbuf.samples.kafka;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.RingKafkaRelay;
import dev.ringbuf.samples.cli.CommandLine;
import dev.ringbuf.samples.cli.CommandLine.Option;
import dev.ringbuf.samples.event.SyntheticProducers;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One feed server of the scale-out sample: producer threads write events into this process's ring, and a
 * {@link RingKafkaRelay} relays the ring into a Kafka topic (key: the feed's name, one partition per feed).
 *
 * <pre>{@code
 * java -cp ... dev.ringbuf.samples.kafka.FeedRelay --bootstrap 127.0.0.1:9092 --feed feed-a --rate 2000
 * }</pre>
 *
 * <p>Prints {@code READY feed <name>} once relaying; on SIGTERM/SIGINT it stops the producers, closes the ring,
 * waits for Kafka to acknowledge what the ring holds (bounded), and prints its counts.
 */
public final class FeedRelay implements AutoCloseable {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final RingBuffer ring;
    private final SyntheticProducers producers;
    private final RingKafkaRelay relay;
    private final PrintStream console;
    private final CountDownLatch closed = new CountDownLatch(1);

    private FeedRelay(CommandLine args, PrintStream console) {
        this.console = console;
        this.ring = RingBuffer.builder().name(args.value("feed"))
                .capacity(args.intValue("capacity", 4096, 1 << 30)).build();
        this.relay = RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", args.value("bootstrap"),
                        "linger.ms", 5))
                .topic(args.value("topic"))
                .maxInFlight(args.intValue("max-in-flight", 1, 1 << 16))
                .start();
        this.producers = new SyntheticProducers(ring, args.intValue("producers", 1, 64),
                args.longValue("rate", 1, 10_000_000), 16).start();
    }

    /**
     * Runs one feed server until SIGTERM/SIGINT.
     *
     * @param argv the options; {@code --help} lists them
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] argv) throws InterruptedException {
        final CommandLine args;
        try {
            args = CommandLine.parse("FeedRelay", "A feed server that relays its ring into Kafka.", List.of(
                    new Option("bootstrap", "HOST:PORT", "127.0.0.1:9092", "Kafka's bootstrap servers"),
                    new Option("topic", "NAME", "events", "the topic every feed writes to"),
                    new Option("feed", "NAME", "feed-a", "this feed's name: the ring's name and the Kafka key"),
                    new Option("producers", "N", "2", "producer threads"),
                    new Option("rate", "EVENTS/S", "2000", "events per second, all producers together"),
                    new Option("capacity", "BYTES", "1048576", "ring capacity, a power of two"),
                    new Option("max-in-flight", "N", "256", "records sent and not yet acknowledged, at most")),
                    argv);
        } catch (CommandLine.HelpRequested help) {
            System.out.print(help.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        final FeedRelay feed = new FeedRelay(args, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(feed::close, "feed-relay-shutdown"));
        System.out.println("READY feed " + args.value("feed") + " -> " + args.value("topic"));
        System.out.flush();
        feed.closed.await();
    }

    /** Stops the producers, closes the ring, waits (bounded) for the relay to deliver it, prints the counts. */
    @Override
    public void close() {
        try {
            producers.stop(SHUTDOWN_TIMEOUT);
            ring.close();
            relay.completion().block(SHUTDOWN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            console.println("shutdown: " + e.getMessage());
            relay.dispose();
        } finally {
            console.printf("feed %s stopped: %,d written, %,d acknowledged by Kafka, %,d dropped (full)%n",
                    ring.name(), producers.written(), relay.sentRecords(), ring.droppedRecords(DropReason.FULL));
            closed.countDown();
        }
    }
}
